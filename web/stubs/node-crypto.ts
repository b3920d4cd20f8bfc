/**
 * The browser's `node:crypto`: only `createHash("sha256")`, the one thing the kernel's trace hash
 * uses (src/kernel/trace.ts), with the same results as Node's — `update(text)` feeds the UTF-8
 * bytes of the text, `digest("hex")` returns the 64-hex-digit SHA-256 (FIPS 180-4) of everything
 * fed. Synchronous, like Node's, so the kernel runs unchanged; the browser's `crypto.subtle` is
 * asynchronous only. The build aliases `node:crypto` to this file (scripts/build-web.ts).
 */

/** The first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
])

/** The first 32 bits of the fractional parts of the square roots of the first 8 primes. */
const INITIAL_STATE = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]

const BLOCK_BYTES = 64

/** An incremental SHA-256 digest with Node's `Hash` interface (the part the kernel uses). */
export class Sha256 {
  private readonly state = new Uint32Array(INITIAL_STATE)
  private readonly block = new Uint8Array(BLOCK_BYTES)
  private readonly words = new Uint32Array(64)
  private blockLength = 0
  private totalBytes = 0
  private readonly encoder = new TextEncoder()

  /** Feeds the UTF-8 bytes of `data` (or the bytes themselves). */
  update(data: string | Uint8Array): this {
    const bytes = typeof data === "string" ? this.encoder.encode(data) : data
    this.totalBytes += bytes.length
    let offset = 0
    while (offset < bytes.length) {
      const take = Math.min(BLOCK_BYTES - this.blockLength, bytes.length - offset)
      this.block.set(bytes.subarray(offset, offset + take), this.blockLength)
      this.blockLength += take
      offset += take
      if (this.blockLength === BLOCK_BYTES) {
        this.compress()
        this.blockLength = 0
      }
    }
    return this
  }

  /** The digest of everything fed, as 64 lowercase hex digits; the hash cannot be fed afterwards. */
  digest(encoding: "hex"): string {
    if (encoding !== "hex") throw new Error(`only hex digests are supported in the browser, not ${String(encoding)}`)
    const bits = this.totalBytes * 8
    this.block[this.blockLength++] = 0x80
    if (this.blockLength > BLOCK_BYTES - 8) {
      this.block.fill(0, this.blockLength)
      this.compress()
      this.blockLength = 0
    }
    this.block.fill(0, this.blockLength)
    const view = new DataView(this.block.buffer)
    view.setUint32(BLOCK_BYTES - 8, Math.floor(bits / 2 ** 32))
    view.setUint32(BLOCK_BYTES - 4, bits >>> 0)
    this.compress()
    return Array.from(this.state, (word) => word.toString(16).padStart(8, "0")).join("")
  }

  /** One round of the compression function over the full block. */
  private compress(): void {
    const w = this.words
    const b = this.block
    for (let i = 0; i < 16; i++) w[i] = (b[4 * i]! << 24) | (b[4 * i + 1]! << 16) | (b[4 * i + 2]! << 8) | b[4 * i + 3]!
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15]!
      const y = w[i - 2]!
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0
    }
    const s = this.state
    let [a, c1, c2, c3, e, f, g, h] = [s[0]!, s[1]!, s[2]!, s[3]!, s[4]!, s[5]!, s[6]!, s[7]!]
    for (let i = 0; i < 64; i++) {
      const sum1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
      const t1 = (h + sum1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0
      const sum0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
      const t2 = (sum0 + ((a & c1) ^ (a & c2) ^ (c1 & c2))) | 0
      ;[h, g, f, e, c3, c2, c1, a] = [g, f, e, (c3 + t1) | 0, c2, c1, a, (t1 + t2) | 0]
    }
    s[0] = s[0]! + a
    s[1] = s[1]! + c1
    s[2] = s[2]! + c2
    s[3] = s[3]! + c3
    s[4] = s[4]! + e
    s[5] = s[5]! + f
    s[6] = s[6]! + g
    s[7] = s[7]! + h
  }
}

/** The kernel's type for a running digest. */
export type Hash = Sha256

/** Node's `createHash`, for `"sha256"` only. */
export function createHash(algorithm: string): Sha256 {
  if (algorithm !== "sha256") throw new Error(`only sha256 is available in the browser, not ${algorithm}`)
  return new Sha256()
}
