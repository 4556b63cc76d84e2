import net, { type AddressInfo } from 'node:net'

/**
 * A TCP proxy on 127.0.0.1 in front of a real server: `cut()` drops every connection and refuses
 * new ones, as a stopped PostgreSQL does; `restore()` listens again on the same port.
 */
export class TcpProxy {
  private server: net.Server | undefined
  private readonly sockets = new Set<net.Socket>()
  port = 0

  constructor(
    private readonly target: { host: string; port: number },
  ) {}

  async start(): Promise<this> {
    await this.listen(0)
    return this
  }

  /** The outage: open connections reset, new ones refused. */
  async cut(): Promise<void> {
    const server = this.server
    this.server = undefined
    for (const s of this.sockets) s.destroy()
    this.sockets.clear()
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  }

  async restore(): Promise<void> {
    await this.listen(this.port)
  }

  stop(): Promise<void> {
    return this.cut()
  }

  private listen(port: number): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target)
      for (const s of [client, upstream]) {
        this.sockets.add(s)
        s.on('close', () => this.sockets.delete(s))
        s.on('error', () => {
          client.destroy()
          upstream.destroy()
        })
      }
      client.pipe(upstream).pipe(client)
    })
    return new Promise((resolve) =>
      this.server!.listen(port, '127.0.0.1', () => {
        this.port = (this.server!.address() as AddressInfo).port
        resolve()
      }),
    )
  }
}
