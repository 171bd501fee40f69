// The host's backup agent [110]: the optional `prepare` and `finish` commands a host's config
// names for a target (quiesce a database, take a snapshot; resume), run before and after the
// data is copied. A prepare that fails or outlives the timeout fails the job before any data moves.
import { spawn } from 'node:child_process';
import type { Fault } from '../contract';
import type { SiteModel } from '../site';

export interface AgentStep {
  host: string;
  command: string[];
}

/** The agent commands of one step for a target, host by host. */
export function agentSteps(site: SiteModel, target: string, step: 'prepare' | 'finish'): AgentStep[] {
  return site.devicesOfKind('host').flatMap((host) => {
    const command = host.agent[target]?.[step];
    return command ? [{ host: host.id, command }] : [];
  });
}

/** Runs an agent command; resolves with null when it succeeded, else why it did not. */
export function runAgentStep(step: AgentStep, timeoutMs: number, cwd: string): Promise<string | null> {
  return new Promise((resolve) => {
    const [program, ...args] = step.command as [string, ...string[]];
    const child = spawn(program, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => (stderr = (stderr + text).slice(-1000)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(`${program} on ${step.host} did not finish within ${timeoutMs} ms`);
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve(`${program} on ${step.host} could not run: ${error.message}`);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const why = stderr.trim().split('\n').pop();
      if (code === 0) resolve(null);
      else resolve(`${program} on ${step.host} ${signal ? `was killed (${signal})` : `exited with code ${code}`}${why ? `: ${why}` : ''}`);
    });
  });
}

/** What an injected host fault does to the agent's prepare: fail it, or hang it until the timeout. */
export function hostFaultOutcome(fault: Fault, timeoutMs: number): Promise<string> {
  if (fault.kind === 'hang') {
    return new Promise((resolve) => setTimeout(() => resolve(`the agent on ${fault.device} did not answer within ${timeoutMs} ms`), timeoutMs));
  }
  return Promise.resolve(fault.kind === 'crash' ? `the agent on ${fault.device} crashed` : `the agent on ${fault.device} reported an I/O error`);
}
