// Random walks in a process of their own, on the built runtime: actions that throw, reject,
// resolve later or move the run from inside; subscribers that throw; restores; long limits.
// Exits 0 and prints `survived N` only if no walk killed the process (an uncaught exception
// or an unhandled rejection ends a Node 20 process with exit code 1).
import fc from 'fast-check';
import { RunError, SimulatedClock, startRun } from '@sopflow/runtime';
import { actionBehaviourArb, boundActions, familyArb, stepArb } from './arbitraries.mjs';

const runs = Number(process.argv[2] ?? 2000);
let walks = 0;
const runsToSettle = [];
fc.assert(
  fc.property(
    familyArb,
    fc.array(stepArb, { maxLength: 25 }),
    actionBehaviourArb,
    fc.boolean(),
    ({ sop, procedures }, steps, behaviour, throwingSubscriber) => {
      const clock = new SimulatedClock();
      clock.set(Date.UTC(2026, 0, 1));
      const options = { procedures, clock, actions: boundActions(behaviour) };
      let run;
      try {
        run = startRun(sop, options);
      } catch (error) {
        if (!(error instanceof RunError)) throw error;
        walks++;
        return;
      }
      if (throwingSubscriber)
        run.subscribe(() => {
          throw new Error('UI broke');
        });
      for (const s of steps) {
        try {
          switch (s.kind) {
            case 'complete':
              run.complete();
              break;
            case 'choose':
              run.choose(s.answer);
              break;
            case 'record':
              run.record(s.data);
              break;
            case 'signal':
              run.signal(s.signal);
              break;
            case 'wait':
              clock.increment(s.ms);
              break;
            case 'raw':
              run.move(s.move);
              break;
            case 'cancel':
              run.cancel({ reason: 'fuzz' });
              break;
            case 'restore': {
              const again = startRun(sop, { ...options, snapshot: JSON.parse(JSON.stringify(run.persist())) });
              run.stop();
              run = again;
              break;
            }
            default:
              break;
          }
        } catch (error) {
          if (!(error instanceof RunError)) throw error;
        }
      }
      runsToSettle.push(run);
      walks++;
    },
  ),
  { numRuns: runs },
);
// let every Promise an action returned settle, and every timer that is due fire
await new Promise((resolve) => setTimeout(resolve, 50));
for (const run of runsToSettle) run.stop();
process.stdout.write(`survived ${walks}\n`);
