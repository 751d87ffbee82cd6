#!/usr/bin/env node
// MotoPartPicker offline audit verifier. Plain Node (>= 18), node:crypto and node:fs only: it
// imports nothing of the project, so an auditor can read all of it and trust none of us.
// Every rule it applies is written out in docs/domain.md ("Hash chain", "Signed checkpoints").
//
//   node verify-offline.mjs --checkpoint checkpoint.json --public-key key.pem --export events.ndjson
//   node verify-offline.mjs --proof proof.json --public-key key.pem
//
// checkpoint.json: {checkpoint, signature[, heads]} (GET /api/audit/checkpoints/latest, or a
//   witness file, which also lists the heads so a rewritten chain can be named).
// key.pem: the SPKI PEM, or the JSON answer of GET /api/audit/public-key.
// events.ndjson: `mpp events export` output (at least every fitment- stream).
// proof.json: GET /api/verifications/:id/proof.
// Prints "intact" and exits 0, or names what is wrong (the first bad stream) and exits 1.
// Exit code 2: the command line or an input file is unusable.

import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

class Usage extends Error {}

// --- RFC 8785 (JCS) canonical JSON, for values that came out of JSON.parse -------------------
function canonical(value) {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('JCS has no form for a non-finite number');
    return JSON.stringify(value); // ECMAScript Number-to-String, as RFC 8785 §3.2.2.3 requires
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object') {
    // Default sort compares UTF-16 code units, the order RFC 8785 §3.2.3 prescribes.
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  throw new TypeError(`JCS has no form for ${typeof value}`);
}

const sha256 = (...parts) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

// --- The fitment hash chain ------------------------------------------------------------------
const GENESIS = '0'.repeat(64);

const isFitmentStream = (id) => /^fitment-[^_]+_[^_]+$/.test(id);

/** Version 1: {data, prevHash, revision, type}; version 2 adds actor, occurredAt and hashVersion. */
function eventHash(event, prevHash) {
  const version = event.metadata?.hashVersion ?? 1;
  const envelope = { type: event.type, data: event.data, prevHash, revision: Number(event.revision) };
  if (version === 2) {
    const { occurredAt, actor } = event.metadata;
    if (typeof occurredAt !== 'string' || typeof actor !== 'string') return undefined;
    Object.assign(envelope, { occurredAt, actor, hashVersion: 2 });
  } else if (version !== 1) {
    return undefined;
  }
  return sha256(Buffer.from(canonical(envelope), 'utf8')).toString('hex');
}

/** The first broken link of events (in revision order) starting at `first` after `prevHash`, or undefined. */
function chainBreak(events, { first = 0, prevHash = GENESIS, version = 1 } = {}) {
  let expected = first;
  let previous = prevHash;
  let previousVersion = version;
  for (const event of events) {
    const at = `revision ${event.revision} (event ${event.eventId})`;
    if (Number(event.revision) !== expected) return `${at}: revision gap`;
    const v = event.metadata?.hashVersion ?? 1;
    if (v !== 1 && v !== 2) return `${at}: unknown hash version`;
    if (v < previousVersion) return `${at}: hash version downgrade`;
    if (event.metadata?.prevHash !== previous) return `${at}: prevHash does not match the previous event`;
    const hash = eventHash(event, previous);
    if (hash === undefined || hash !== event.metadata?.hash) return `${at}: hash does not match the event`;
    previous = hash;
    previousVersion = v;
    expected += 1;
  }
  return undefined;
}

// --- RFC 6962 Merkle tree over stream heads ---------------------------------------------------
const leafHash = (streamId, head) => sha256(Buffer.from([0]), Buffer.from(streamId, 'utf8'), Buffer.from([0]), Buffer.from(head, 'hex'));
const nodeHash = (left, right) => sha256(Buffer.from([1]), left, right);

function merkleRoot(leaves) {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(merkleRoot(leaves.slice(0, k)), merkleRoot(leaves.slice(k)));
}

const byUtf8 = (a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

function rootOfHeads(heads) {
  const sorted = [...heads].sort((a, b) => byUtf8(a.streamId, b.streamId));
  return merkleRoot(sorted.map((h) => leafHash(h.streamId, h.hash))).toString('hex');
}

/** RFC 9162 §2.1.3.2. */
function verifyInclusion(leaf, index, size, path, root) {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

// --- The signed checkpoint ---------------------------------------------------------------------
function checkSignature({ checkpoint, signature }, publicKeyPem) {
  const { root, streams, position, createdAt } = checkpoint ?? {};
  if (typeof root !== 'string' || typeof streams !== 'number' || typeof position !== 'string' || typeof createdAt !== 'string') {
    return 'the checkpoint lacks root, streams, position or createdAt';
  }
  const key = createPublicKey(publicKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') return 'the public key is not an Ed25519 key';
  const bytes = Buffer.from(canonical({ root, streams, position, createdAt }), 'utf8');
  return verify(null, bytes, key, Buffer.from(String(signature), 'base64')) ? undefined : 'the checkpoint signature does not verify with this public key';
}

// --- Checking an export against a checkpoint --------------------------------------------------
function verifyExport(signed, exportText) {
  const position = BigInt(signed.checkpoint.position);
  const streams = new Map();
  for (const [index, line] of exportText.split('\n').entries()) {
    if (line.trim() === '') continue;
    let event;
    try {
      event = JSON.parse(line);
    } catch {
      throw new Usage(`export line ${index + 1} is not JSON`);
    }
    if (!isFitmentStream(event.streamId)) continue;
    if (!streams.has(event.streamId)) streams.set(event.streamId, []);
    streams.get(event.streamId).push(event);
  }

  const bad = new Map();
  const heads = [];
  for (const [streamId, events] of streams) {
    events.sort((a, b) => Number(a.revision) - Number(b.revision));
    const broken = chainBreak(events);
    if (broken) bad.set(streamId, `chain broken at ${broken}`);
    const upTo = events.filter((e) => BigInt(e.position) <= position);
    if (upTo.length > 0) heads.push({ streamId, hash: String(upTo.at(-1).metadata?.hash) });
  }

  const root = rootOfHeads(heads);
  if (Array.isArray(signed.heads)) {
    if (rootOfHeads(signed.heads) !== signed.checkpoint.root) return { ok: false, message: "the checkpoint file's heads do not give its signed root" };
    const published = new Map(signed.heads.map((h) => [h.streamId, h.hash]));
    const exported = new Map(heads.map((h) => [h.streamId, h.hash]));
    for (const streamId of new Set([...published.keys(), ...exported.keys()])) {
      if (published.get(streamId) === exported.get(streamId)) continue;
      if (!exported.has(streamId)) bad.set(streamId, `missing from the export (its head at position ${position} was published)`);
      else if (!published.has(streamId)) bad.set(streamId, `had a head at position ${position} that the checkpoint does not list`);
      else bad.set(streamId, `head at position ${position} is ${exported.get(streamId)}, the checkpoint published ${published.get(streamId)}`);
    }
  }
  if (bad.size > 0) {
    const [first, ...others] = [...bad.keys()].sort(byUtf8);
    const more = others.map((streamId) => `\n  also ${streamId}: ${bad.get(streamId)}`).join('');
    return { ok: false, message: `tampered: first bad stream ${first}: ${bad.get(first)}${others.length > 0 ? ` (${bad.size} bad streams)` : ''}${more}` };
  }
  if (root !== signed.checkpoint.root) {
    return { ok: false, message: `tampered: the heads at position ${position} give root ${root}, the checkpoint signed ${signed.checkpoint.root} (a checkpoint file with heads names the stream)` };
  }
  if (heads.length !== signed.checkpoint.streams) return { ok: false, message: `tampered: ${heads.length} streams at position ${position}, the checkpoint signed ${signed.checkpoint.streams}` };
  return { ok: true, message: `intact (${streams.size} fitment streams; ${heads.length} heads at position ${position} match the signed root)` };
}

// --- Checking a verification's proof ------------------------------------------------------------
function verifyProof(proof) {
  const { event, chain, inclusion, streamId, verificationId } = proof;
  if (!Array.isArray(chain) || chain.length === 0 || !inclusion) throw new Usage('the proof lacks chain or inclusion');
  if (event?.eventId !== chain[0].eventId || event.type !== 'VerificationSubmitted' || String(event.data?.verificationId).toLowerCase() !== String(verificationId).toLowerCase()) {
    return { ok: false, message: `tampered: the proof's event is not verification ${verificationId}'s submission` };
  }
  if (chain.some((e) => e.streamId !== streamId) || inclusion.streamId !== streamId) return { ok: false, message: `tampered: the proof mixes streams other than ${streamId}` };
  const first = chain[0];
  const broken = chainBreak(chain, { first: Number(first.revision), prevHash: first.metadata?.prevHash, version: 1 });
  if (broken) return { ok: false, message: `tampered: ${streamId}: chain broken at ${broken}` };
  const head = chain.at(-1).metadata.hash;
  if (inclusion.head !== head) return { ok: false, message: `tampered: ${streamId}: the chain ends at ${head}, the inclusion proof is for ${inclusion.head}` };
  const included = verifyInclusion(
    leafHash(streamId, head),
    inclusion.leafIndex,
    inclusion.treeSize,
    inclusion.auditPath.map((hex) => Buffer.from(hex, 'hex')),
    Buffer.from(proof.checkpoint.root, 'hex'),
  );
  if (!included) return { ok: false, message: `tampered: ${streamId}: its head is not in the signed tree (inclusion proof fails)` };
  if (inclusion.treeSize !== proof.checkpoint.streams) return { ok: false, message: 'tampered: the inclusion proof is for a tree of another size than the checkpoint' };
  return { ok: true, message: `intact (verification ${verificationId} is in ${streamId}, whose head is leaf ${inclusion.leafIndex} of ${inclusion.treeSize} under the signed root)` };
}

// --- Command line ------------------------------------------------------------------------------
function options(argv) {
  const known = new Set(['--checkpoint', '--public-key', '--export', '--proof']);
  const found = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!known.has(argv[i]) || argv[i + 1] === undefined) throw new Usage(`unexpected argument ${JSON.stringify(argv[i])}`);
    found[argv[i].slice(2)] = argv[i + 1];
  }
  return found;
}

const readJson = (path, what) => {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Usage(`cannot read ${what} ${path}: ${error.message}`);
  }
};

function publicKeyFrom(path) {
  const text = readFileSync(path, 'utf8');
  return text.trimStart().startsWith('{') ? JSON.parse(text).publicKey : text;
}

function main(argv) {
  const opts = options(argv);
  if (!opts['public-key'] || !(opts.proof || (opts.checkpoint && opts.export))) {
    throw new Usage('usage: verify-offline.mjs --public-key KEY (--checkpoint FILE --export EVENTS.ndjson | --proof FILE)');
  }
  const signed = opts.proof ? readJson(opts.proof, 'proof') : readJson(opts.checkpoint, 'checkpoint');
  const badSignature = checkSignature(signed, publicKeyFrom(opts['public-key']));
  if (badSignature) return { ok: false, message: `not verified: ${badSignature}` };
  return opts.proof ? verifyProof(signed) : verifyExport(signed, readFileSync(opts.export, 'utf8'));
}

try {
  const { ok, message } = main(process.argv.slice(2));
  process.stdout.write(`${message}\n`);
  process.exitCode = ok ? 0 : 1;
} catch (error) {
  process.stderr.write(`verify-offline: ${error instanceof Usage ? error.message : error.stack}\n`);
  process.exitCode = 2;
}
