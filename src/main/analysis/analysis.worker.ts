// Worker thread entry: runs the CBAD engine on streams of a case file.
// Speaks AnalysisRequest / AnalysisReply (src/shared/analysis-messages.ts).
import { isMainThread, parentPort } from 'node:worker_threads';
import type { AnalysisReply, AnalysisRequest } from '../../shared/analysis-messages';
import { LiveJobRunner } from './live-job';
import { StreamJobRunner } from './stream-job';

if (isMainThread || !parentPort) throw new Error('analysis.worker.ts runs only inside a worker thread');
const port = parentPort;
const post = (reply: AnalysisReply): void => port.postMessage(reply);
let current: StreamJobRunner | undefined;
let live: LiveJobRunner | undefined;

port.on('message', (msg: AnalysisRequest) => {
  switch (msg.type) {
    case 'analyze-stream':
      current = new StreamJobRunner(msg.seq, msg.job, post);
      void current.run();
      break;
    case 'events-committed':
      if (current?.seq === msg.seq) current.extend(msg.committed, msg.final);
      break;
    case 'analyze-live':
      live = new LiveJobRunner(msg.seq, msg.job, post);
      void live.run();
      break;
    case 'live-committed':
      if (live?.seq === msg.seq) live.extend(msg.streams);
      break;
    case 'live-finish':
      if (live?.seq === msg.seq) live.finish();
      break;
  }
});
