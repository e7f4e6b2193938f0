// Deterministic "random-looking" names and ids. The same scenario always yields the same pod
// names and uids, so tests and screenshots are stable, yet they look like what Kubernetes makes.
import { createHash } from 'node:crypto';

// The alphabet Kubernetes uses for generated name suffixes (no vowels, no confusable digits).
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function digest(seed: string): Buffer {
  return createHash('sha256').update(seed).digest();
}

function fromAlphabet(seed: string, length: number): string {
  const bytes = digest(seed);
  let out = '';
  for (let i = 0; i < length; i++) out += SUFFIX_ALPHABET[bytes[i]! % SUFFIX_ALPHABET.length];
  return out;
}

/** `<deployment>-<pod-template-hash>` as a ReplicaSet is named. */
export function replicaSetName(seed: string, deployment: string): string {
  return `${deployment}-${podTemplateHash(seed, deployment)}`;
}

export function podTemplateHash(seed: string, owner: string): string {
  return fromAlphabet(`${seed}/${owner}/template`, 10);
}

/** A pod of a Deployment: `<deployment>-<hash>-<5>`; of a DaemonSet: `<ds>-<5>`. */
export function podName(seed: string, owner: string, index: number, kind: 'Deployment' | 'DaemonSet'): string {
  const suffix = fromAlphabet(`${seed}/${owner}/${index}`, 5);
  return kind === 'Deployment' ? `${replicaSetName(seed, owner)}-${suffix}` : `${owner}-${suffix}`;
}

/** An RFC 4122 version-4-shaped uid derived from the seed. */
export function uidFor(seed: string): string {
  const hex = digest(`uid/${seed}`).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function hexId(seed: string, length: number): string {
  return digest(seed).toString('hex').slice(0, length);
}

/** A `containerd://<64 hex>` container id. */
export function containerId(seed: string): string {
  return `containerd://${digest(`container/${seed}`).toString('hex')}`;
}

/** A `sim-<hex>` bearer token for a simulated user (not secret: the simulator is loopback-only). */
export function tokenFor(seed: string): string {
  return `sim-${digest(`token/${seed}`).toString('hex').slice(0, 40)}`;
}
