import { readFileSync } from 'node:fs'
import { addDays, toDay } from '../../src/days.js'
import { GUIDE_SNAPSHOT_FILE } from '../../src/jobs/guide-job.js'
import { benchmarkerUrl, roundUrl, serveBenchmarks } from './benchmark-upstream.js'
import { FakeUpstream } from './fake-upstream.js'
import { FakeGitHub } from './github-upstream.js'
import { serveHex } from './hex-upstream.js'
import { serveMaven } from './maven-upstream.js'
import { serveNpm } from './npm-upstream.js'
import { serveNuGet } from './nuget-upstream.js'
import { servePackagist } from './packagist-upstream.js'
import { servePypi } from './pypi-upstream.js'
import { serveRubyGems } from './rubygems-upstream.js'

export const GITHUB_TEST_TOKEN = 'ghp_e2eTestTokenThatMustNeverBeLogged0001'

/**
 * Every upstream the jobs read, each a real HTTP server on 127.0.0.1 with its own port, healthy
 * and honouring validators; `env` points the app's configuration at them.
 */
export async function startAllUpstreams(now = new Date()) {
  const today = toDay(now)
  const names = ['guide', 'npm', 'pypi', 'packagist', 'rubygems', 'nuget', 'hex', 'maven', 'github', 'benchmarks'] as const
  const fakes = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await new FakeUpstream().start()] as const))) as Record<
    (typeof names)[number],
    FakeUpstream
  >
  const post = readFileSync(GUIDE_SNAPSHOT_FILE, 'utf8')
  fakes.guide.on(/^\/wp-json\/wp\/v2\/posts\/25042$/, (req) =>
    req.headers['if-none-match'] === '"post-1"' ? { status: 304 } : { body: post, headers: { etag: '"post-1"', 'content-type': 'application/json' } },
  )
  serveNpm(fakes.npm)
  servePypi(fakes.pypi, { lastDay: addDays(today, -1) })
  servePackagist(fakes.packagist, { today })
  serveRubyGems(fakes.rubygems)
  serveNuGet(fakes.nuget)
  serveHex(fakes.hex)
  serveMaven(fakes.maven)
  const github = new FakeGitHub(fakes.github).serve()
  github.reset(5000)
  serveBenchmarks(fakes.benchmarks)

  const env: Record<string, string> = {
    GUIDE_URL: `${fakes.guide.url}/wp-json/wp/v2/posts/25042`,
    NPM_API_URL: fakes.npm.url,
    NPM_REGISTRY_URL: fakes.npm.url,
    PYPISTATS_URL: fakes.pypi.url,
    PYPI_URL: fakes.pypi.url,
    PACKAGIST_URL: fakes.packagist.url,
    RUBYGEMS_URL: fakes.rubygems.url,
    NUGET_URL: `${fakes.nuget.url}/v3/index.json`,
    HEX_URL: fakes.hex.url,
    MAVEN_URL: `${fakes.maven.url}/solrsearch`,
    MAVEN_REPO_URL: `${fakes.maven.url}/maven2`,
    GITHUB_API_URL: fakes.github.url,
    OSSINSIGHT_API_URL: fakes.github.url,
    GITHUB_TOKEN: GITHUB_TEST_TOKEN,
    TFB_RESULTS_URLS: roundUrl(fakes.benchmarks),
    BENCHMARKER_DATA_URL: benchmarkerUrl(fakes.benchmarks),
  }
  return {
    env,
    fakes,
    github,
    /** Every request any fake received, tagged with the fake's name. */
    requests: () => names.flatMap((n) => fakes[n].requests.map((r) => ({ upstream: n, ...r }))),
    /** A mark: the returned function lists the requests received after it. */
    mark() {
      const seen = new Map(names.map((n) => [n, fakes[n].requests.length]))
      return () => names.flatMap((n) => fakes[n].requests.slice(seen.get(n)).map((r) => ({ upstream: n, ...r })))
    },
    stop: () => Promise.all(names.map((n) => fakes[n].stop())),
  }
}
