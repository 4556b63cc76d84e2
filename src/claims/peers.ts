import type { ClaimFramework } from '../db/queries/claim-inputs.js'
import { sourceName } from '../source-names.js'

export type PeerGroup = 'all' | 'language' | 'registry'

/** The frameworks a claim compares its framework with, itself included. */
export function peersOf(fw: ClaimFramework, all: ClaimFramework[], group: PeerGroup): ClaimFramework[] {
  if (group === 'all') return all
  if (group === 'language') return all.filter((f) => f.language === fw.language)
  return all.filter((f) => f.registries.some((r) => fw.registries.includes(r)))
}

export function describePeers(fw: ClaimFramework, group: PeerGroup): string {
  if (group === 'all') return 'the tracked frameworks'
  if (group === 'language') return `the tracked ${fw.language} frameworks`
  return `the tracked frameworks on ${fw.registries.map(sourceName).join(', ')}`
}

/** 1 for the largest value; ties share the better rank. */
export function rankOf(id: number, values: Map<number, number>): number {
  const mine = values.get(id)!
  return 1 + [...values.values()].filter((v) => v > mine).length
}
