/**
 * A wire double of KurrentDB's gRPC API: Streams.Read (stream and $all reads, $all subscriptions),
 * Streams.BatchAppend and ServerFeatures, served with @grpc/grpc-js from the installed client's OWN
 * generated service definitions and messages (`@eventstore/db-client/generated`; the package ships no
 * .proto files), so the bytes on the wire are the ones the client really exchanges.
 *
 * It proves our handling of the client and the wire (calls ended, statuses mapped, subscriptions
 * resumed) and nothing about the store's semantics: it checks no expected revision, keeps no index,
 * and answers what a test scripts. What KurrentDB itself does is proven only by the contract suite
 * against a real server (EVENTSTORE_URL). Its server answers with statuses copied from KurrentDB
 * v25.1.0 (`RpcExceptions.cs`, `Streams.BatchAppend.cs`), and allows 100 concurrent streams per
 * HTTP/2 connection, as Kestrel does there.
 */
import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';
import type * as StreamsPb from '@eventstore/db-client/generated/streams_pb.js';
import type * as SharedPb from '@eventstore/db-client/generated/shared_pb.js';
import type * as StatusPb from '@eventstore/db-client/generated/status_pb.js';
import type * as ServerFeaturesPb from '@eventstore/db-client/generated/serverfeatures_pb.js';
import type * as AnyPb from 'google-protobuf/google/protobuf/any_pb.js';
import type * as EmptyPb from 'google-protobuf/google/protobuf/empty_pb.js';

// The client's own modules, and the protobuf runtime it resolves, not a copy of either.
const clientRequire = createRequire(createRequire(import.meta.url).resolve('@eventstore/db-client'));
const streamsPb = clientRequire('../generated/streams_pb.js') as typeof StreamsPb;
const streamsGrpc = clientRequire('../generated/streams_grpc_pb.js') as { StreamsService: grpc.ServiceDefinition };
const sharedPb = clientRequire('../generated/shared_pb.js') as typeof SharedPb;
const statusPb = clientRequire('../generated/status_pb.js') as typeof StatusPb;
const featuresPb = clientRequire('../generated/serverfeatures_pb.js') as typeof ServerFeaturesPb;
const featuresGrpc = clientRequire('../generated/serverfeatures_grpc_pb.js') as { ServerFeaturesService: grpc.ServiceDefinition };
const anyPb = clientRequire('google-protobuf/google/protobuf/any_pb.js') as typeof AnyPb;
const emptyPb = clientRequire('google-protobuf/google/protobuf/empty_pb.js') as typeof EmptyPb;

export interface DoubleEvent {
  streamId: string;
  revision: bigint;
  /** Commit and prepare position (equal, as for every event appended through gRPC). */
  position: bigint;
  eventId: string;
  type: string;
  data: unknown;
  /** `application/json` unless said otherwise. */
  contentType?: string;
}

/** What the next batch appends get: stored, KurrentDB's "not ready" answer, or the call ended with CANCELLED. */
export type BatchAppendAnswer = 'store' | 'not-ready' | 'busy' | 'cancelled';

export interface RecordedReadCall {
  target: 'all' | 'stream' | 'subscription';
  stream?: string;
  /** Start as sent: `start`, `end`, or a commit position / revision. */
  from: 'start' | 'end' | bigint;
  direction: 'forwards' | 'backwards';
}

type ReadCall = grpc.ServerWritableStream<StreamsPb.ReadReq, StreamsPb.ReadResp>;
type BatchAppendCall = grpc.ServerDuplexStream<StreamsPb.BatchAppendReq, StreamsPb.BatchAppendResp>;

const KESTREL_MAX_STREAMS_PER_CONNECTION = 100;
const POSITION_STEP = 137n;

export class KurrentDbWireDouble {
  readonly log: DoubleEvent[] = [];
  readonly readCalls: RecordedReadCall[] = [];
  batchAppendAnswer: BatchAppendAnswer = 'store';
  /** Batch append requests received (one per appendToStream of the client). */
  appendRequests = 0;
  /** Most Streams.Read calls that were open at once. */
  peakOpenReadCalls = 0;
  /** Reads get no answer at all while set (a node that hangs), until the client cancels them. */
  stallReads = false;
  /** Streams the double answers as deleted (tombstoned), with KurrentDB's status for that. */
  readonly deletedStreams = new Set<string>();
  private readonly openReads = new Set<ReadCall>();
  private readonly subscriptions = new Set<ReadCall>();
  private readonly nextRevisions = new Map<string, bigint>();

  private constructor(
    private readonly server: grpc.Server,
    readonly port: number,
  ) {}

  static async start(): Promise<KurrentDbWireDouble> {
    const server = new grpc.Server({ 'grpc.max_concurrent_streams': KESTREL_MAX_STREAMS_PER_CONNECTION });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    const double = new KurrentDbWireDouble(server, port);
    server.addService(streamsGrpc.StreamsService, {
      read: (call: ReadCall) => void double.read(call),
      append: (_call: unknown, callback: grpc.sendUnaryData<unknown>) => callback({ code: grpc.status.UNIMPLEMENTED }),
      delete: (_call: unknown, callback: grpc.sendUnaryData<unknown>) => callback({ code: grpc.status.UNIMPLEMENTED }),
      tombstone: (_call: unknown, callback: grpc.sendUnaryData<unknown>) => callback({ code: grpc.status.UNIMPLEMENTED }),
      batchAppend: (call: BatchAppendCall) => double.batchAppend(call),
    });
    server.addService(featuresGrpc.ServerFeaturesService, {
      getSupportedMethods: (_call: unknown, callback: grpc.sendUnaryData<ServerFeaturesPb.SupportedMethods>) => callback(null, supportedMethods()),
    });
    return double;
  }

  get connectionString(): string {
    return `esdb://127.0.0.1:${this.port}?tls=false`;
  }

  /** Streams.Read calls the double has not ended and the client has not cancelled. */
  get openReadCalls(): number {
    return this.openReads.size;
  }

  get openSubscriptions(): number {
    return this.subscriptions.size;
  }

  /** Adds events to the log (the next revisions of their streams) and sends them to live subscriptions. */
  append(...events: Array<Pick<DoubleEvent, 'streamId' | 'eventId' | 'type' | 'data'> & { contentType?: string }>): DoubleEvent[] {
    const added = events.map((event) => {
      const revision = this.nextRevisions.get(event.streamId) ?? 0n;
      this.nextRevisions.set(event.streamId, revision + 1n);
      const stored: DoubleEvent = { ...event, revision, position: (this.log.at(-1)?.position ?? 0n) + POSITION_STEP };
      this.log.push(stored);
      return stored;
    });
    for (const call of this.subscriptions) for (const event of added) call.write(readResponse(event));
    return added;
  }

  /** Ends every open subscription call with a status, as a node shutting down does (CANCELLED since 24.4). */
  endSubscriptions(code: grpc.status, details: string): void {
    for (const call of this.subscriptions) endWithStatus(call, code, details);
    this.subscriptions.clear();
  }

  async stop(): Promise<void> {
    this.endSubscriptions(grpc.status.UNAVAILABLE, 'double stopping');
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
    this.server.forceShutdown();
  }

  private async read(call: ReadCall): Promise<void> {
    this.openReads.add(call);
    this.peakOpenReadCalls = Math.max(this.peakOpenReadCalls, this.openReads.size);
    const closed = () => {
      this.openReads.delete(call);
      this.subscriptions.delete(call);
    };
    call.on('cancelled', closed);
    call.on('close', closed);
    if (this.stallReads) return;
    const options = call.request.getOptions()!;
    const direction = options.getReadDirection() === streamsPb.ReadReq.Options.ReadDirection.BACKWARDS ? 'backwards' : 'forwards';
    if (options.hasStream()) {
      const streamOptions = options.getStream()!;
      const stream = Buffer.from(streamOptions.getStreamIdentifier()!.getStreamName_asU8()).toString('utf8');
      const from = streamOptions.hasStart() ? 'start' : streamOptions.hasEnd() ? 'end' : BigInt(streamOptions.getRevision());
      this.readCalls.push({ target: 'stream', stream, from, direction });
      if (this.deletedStreams.has(stream)) {
        const metadata = new grpc.Metadata();
        metadata.set('exception', 'stream-deleted');
        metadata.set('stream-name', stream);
        endWithStatus(call, grpc.status.FAILED_PRECONDITION, `Event stream '${stream}' is deleted.`, metadata);
        return;
      }
      const events = this.log.filter((e) => e.streamId === stream);
      if (events.length === 0) {
        call.write(new streamsPb.ReadResp().setStreamNotFound(new streamsPb.ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(stream))));
        call.end();
        return;
      }
      const selected =
        direction === 'forwards'
          ? events.filter((e) => from === 'start' || (from !== 'end' && e.revision >= from))
          : events.filter((e) => from === 'end' || (from !== 'start' && e.revision <= from)).reverse();
      await this.send(call, selected.slice(0, Number(options.getCount())));
      return;
    }
    const allOptions = options.getAll()!;
    const from = allOptions.hasStart() ? 'start' : allOptions.hasEnd() ? 'end' : BigInt(allOptions.getPosition()!.getCommitPosition());
    if (options.hasSubscription()) {
      this.readCalls.push({ target: 'subscription', from, direction });
      call.write(new streamsPb.ReadResp().setConfirmation(new streamsPb.ReadResp.SubscriptionConfirmation().setSubscriptionId(`sub-${this.readCalls.length}`)));
      this.subscriptions.add(call);
      // Subscriptions start after the position they are given.
      const pending = this.log.filter((e) => from === 'start' || (from !== 'end' && e.position > from));
      for (const event of pending) call.write(readResponse(event));
      return;
    }
    this.readCalls.push({ target: 'all', from, direction });
    // $all reads include the event at the position they start from, in both directions from a position.
    const selected =
      direction === 'forwards'
        ? this.log.filter((e) => from === 'start' || (from !== 'end' && e.position >= from))
        : this.log.filter((e) => from === 'end' || (from !== 'start' && e.position < from)).reverse();
    await this.send(call, selected.slice(0, Number(options.getCount())));
  }

  /** Writes as fast as the client takes them (HTTP/2 flow control), then ends the call with OK. */
  private async send(call: ReadCall, events: readonly DoubleEvent[]): Promise<void> {
    const ended = new Promise<void>((resolve) => {
      call.once('cancelled', resolve);
      call.once('close', resolve);
    });
    for (const [index, event] of events.entries()) {
      if (!this.openReads.has(call)) return;
      if (!call.write(readResponse(event))) await Promise.race([new Promise((resolve) => call.once('drain', resolve)), ended]);
      // Lets a cancel that is already on its way arrive before the double serialises a whole window.
      else if (index % 16 === 15) await new Promise((resolve) => setImmediate(resolve));
    }
    if (this.openReads.has(call)) call.end();
  }

  private batchAppend(call: BatchAppendCall): void {
    const proposed = new Map<string, { stream: string; messages: StreamsPb.BatchAppendReq.ProposedMessage[] }>();
    call.on('data', (request: StreamsPb.BatchAppendReq) => {
      const correlation = request.getCorrelationId()!;
      const key = correlation.getString();
      if (request.hasOptions()) {
        proposed.set(key, { stream: Buffer.from(request.getOptions()!.getStreamIdentifier()!.getStreamName_asU8()).toString('utf8'), messages: [] });
      }
      const pending = proposed.get(key)!;
      pending.messages.push(...request.getProposedMessagesList());
      if (!request.getIsFinal()) return;
      proposed.delete(key);
      this.appendRequests += 1;
      const answer = this.batchAppendAnswer;
      if (answer === 'cancelled') {
        endWithStatus(call, grpc.status.CANCELLED, 'Call canceled by the server');
        return;
      }
      const response = new streamsPb.BatchAppendResp().setCorrelationId(correlation).setStreamIdentifier(streamIdentifier(pending.stream));
      if (answer === 'not-ready' || answer === 'busy') {
        // What KurrentDB sends for a NotHandled write: no code, an Empty detail, the reason as text.
        const details = new anyPb.Any();
        details.pack(new emptyPb.Empty().serializeBinary(), 'google.protobuf.Empty');
        call.write(response.setError(new statusPb.Status().setMessage(answer === 'busy' ? 'Server Is Busy' : 'Server Is Not Ready').setDetails(details)));
        return;
      }
      const stored = this.append(
        ...pending.messages.map((message) => {
          const metadata = message.getMetadataMap();
          const contentType = metadata.get('content-type') ?? 'application/json';
          const bytes = Buffer.from(message.getData_asU8());
          return {
            streamId: pending.stream,
            eventId: message.getId()!.getString(),
            type: metadata.get('type') ?? '',
            contentType,
            data: contentType === 'application/json' ? JSON.parse(bytes.toString('utf8')) : bytes,
          };
        }),
      );
      const last = stored.at(-1)!;
      const success = new streamsPb.BatchAppendResp.Success()
        .setCurrentRevision(last.revision.toString())
        .setPosition(new sharedPb.AllStreamPosition().setCommitPosition(last.position.toString()).setPreparePosition(last.position.toString()));
      call.write(response.setSuccess(success));
    });
    call.on('end', () => call.end());
  }
}

/** How a gRPC server ends a streaming call with a status other than OK (grpc-js: an 'error' event). */
function endWithStatus(call: ReadCall | BatchAppendCall, code: grpc.status, details: string, metadata?: grpc.Metadata): void {
  call.emit('error', { code, details, metadata });
}

function streamIdentifier(stream: string): SharedPb.StreamIdentifier {
  return new sharedPb.StreamIdentifier().setStreamName(Buffer.from(stream, 'utf8'));
}

function readResponse(event: DoubleEvent): StreamsPb.ReadResp {
  const contentType = event.contentType ?? 'application/json';
  const recorded = new streamsPb.ReadResp.ReadEvent.RecordedEvent()
    .setId(new sharedPb.UUID().setString(event.eventId))
    .setStreamIdentifier(streamIdentifier(event.streamId))
    .setStreamRevision(event.revision.toString())
    .setCommitPosition(event.position.toString())
    .setPreparePosition(event.position.toString())
    .setData(contentType === 'application/json' ? Buffer.from(JSON.stringify(event.data)) : (event.data as Uint8Array))
    .setCustomMetadata(Buffer.from(JSON.stringify({ actor: 'system:wire-double' })));
  recorded.getMetadataMap().set('type', event.type).set('content-type', contentType).set('created', String(Date.UTC(2026, 11, 3) * 10_000));
  const readEvent = new streamsPb.ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(event.position.toString());
  return new streamsPb.ReadResp().setEvent(readEvent);
}

function supportedMethods(): ServerFeaturesPb.SupportedMethods {
  const methods = ['Read', 'BatchAppend'].map((name) =>
    new featuresPb.SupportedMethod().setServiceName('event_store.client.streams.Streams').setMethodName(name.toLowerCase()),
  );
  return new featuresPb.SupportedMethods().setEventStoreServerVersion('25.1.0').setMethodsList(methods);
}
