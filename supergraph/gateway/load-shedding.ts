// Load shedding: past its bounds the gateway refuses every request at once with 503 and
// Retry-After, before the heap limit or an unbounded queue takes the process down. under-pressure
// measures; this decides, in one onRequest hook that answers once. An interval in which the event
// loop recorded no delay sample reads as Infinity there: no measurement, never a reason to shed.

import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import { errorBody } from '../errors/index.ts';
import { JSON_TYPE } from './media-type.ts';

export interface PressureBounds {
  maxHeapUsedBytes: number;
  maxEventLoopDelayMs: number;
}

export interface PressureReading {
  eventLoopDelay: number;
  heapUsed: number;
}

/** Which bound a reading passes, with its value, or nothing. */
export function pressureOver(reading: PressureReading, bounds: PressureBounds): { type: 'eventLoopDelay' | 'heapUsedBytes'; value: number } | undefined {
  if (Number.isFinite(reading.eventLoopDelay) && reading.eventLoopDelay > bounds.maxEventLoopDelayMs) return { type: 'eventLoopDelay', value: reading.eventLoopDelay };
  if (reading.heapUsed > bounds.maxHeapUsedBytes) return { type: 'heapUsedBytes', value: reading.heapUsed };
  return undefined;
}

/** Registers the measurement and the hook; `retryAfterS` is what a shed request is told. */
export async function shedLoad(app: FastifyInstance, bounds: PressureBounds, retryAfterS: number): Promise<void> {
  await app.register(underPressure, {});
  app.addHook('onRequest', async (_request, reply) => {
    const over = pressureOver(app.memoryUsage(), bounds);
    if (!over) return;
    return reply.code(503).header('retry-after', String(retryAfterS)).type(JSON_TYPE)
      .send(errorBody('SERVICE_UNAVAILABLE', `The gateway is shedding load (${over.type}: ${Math.round(over.value)}).`, { pressure: over.type }));
  });
}
