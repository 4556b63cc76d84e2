import {
  DATABASE_TYPES,
  isDefaultTest,
  type TestMetadata,
  type TestType,
} from './techempower-format.js'

export interface Candidate {
  variant: string
  requestsPerS: number
  metadata: TestMetadata | undefined
}

const CLASSIFICATION = ['fullstack', 'micro', 'platform']
const ORM = ['full', 'micro', 'raw']
const DATABASE = ['postgres', 'mysql']

const position = (list: string[], value: string | null | undefined) => {
  const i = list.indexOf((value ?? '').toLowerCase())
  return i === -1 ? list.length : i
}

/**
 * The variant that best represents how people use a framework, for one test type. TFB ranks
 * every implementation separately (techempower.md, gotcha 4), and a framework has many: ORM or raw
 * SQL, several databases and servers, ports to other runtimes. Compared in this order:
 *  1. it has a result: a failed variant says nothing about the framework's speed;
 *  2. approach "realistic" before "stripped" (TFB's own word for tests that are not production-like);
 *  3. the framework's main project, the one named most plainly after it (`express`, not
 *     `typescript-rest`; `aspcore`, not `aspcore-mono`): forks and ports carry a qualifier;
 *  4. classification fullstack, then micro, then platform: a platform test bypasses the framework's
 *     routing and middleware (ASP.NET Core's default `aspcore` test is one);
 *  5. the project's default test (named after the project);
 *  6. database tests only: ORM full, then micro, then raw (the "default test with its full
 *     ORM"), then Postgres, then MySQL, then the rest;
 *  7. the shortest name (fewest qualifiers), then alphabetical, so the choice is deterministic.
 */
export function representative(
  type: TestType,
  candidates: Candidate[],
  mainProject: string | undefined,
): Candidate {
  const database = DATABASE_TYPES.has(type)
  const key = (c: Candidate): (number | string)[] => [
    c.requestsPerS > 0 ? 0 : 1,
    c.metadata?.approach?.toLowerCase() === 'stripped' ? 1 : 0,
    c.metadata?.project_name === mainProject ? 0 : 1,
    position(CLASSIFICATION, c.metadata?.classification),
    isDefaultTest(c.metadata) ? 0 : 1,
    database ? position(ORM, c.metadata?.orm) : 0,
    database ? position(DATABASE, c.metadata?.database) : 0,
    c.variant.length,
    c.variant,
  ]
  return candidates.reduce((best, c) => (compareKeys(key(c), key(best)) < 0 ? c : best))
}

function compareKeys(a: (number | string)[], b: (number | string)[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue
    return a[i]! < b[i]! ? -1 : 1
  }
  return 0
}

/** Each framework's main project: the shortest project name among its tests, then alphabetical. */
export function mainProjects(metadata: Iterable<TestMetadata>): Map<string, string> {
  const main = new Map<string, string>()
  for (const m of metadata) {
    const framework = m.framework ?? m.name
    const project = m.project_name
    if (!project) continue
    const current = main.get(framework)
    if (
      current === undefined ||
      project.length < current.length ||
      (project.length === current.length && project < current)
    ) {
      main.set(framework, project)
    }
  }
  return main
}
