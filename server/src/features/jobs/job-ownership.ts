import type { RequestHandler } from 'express';
import { JobParams, type AuditAction } from '@ray-console/shared';
import { mayActOnJob } from '../../access/role-policy.js';
import type { RoleGate } from '../../access/role-gate.js';
import { AppError } from '../../lib/app-error.js';
import { parseInput } from '../../lib/parse.js';
import type { ClusterAccess } from '../clusters/cluster-access.js';
import type { JobsService } from './jobs.service.js';

/**
 * Middleware after `gate.needs('operator', …)` on stop and delete: an admin may act on any job, an
 * operator only on a job whose console-written metadata name them (see SUBMITTED_BY_METADATA). The job
 * is read from Ray to find out; a job that cannot be read is refused with that error, never let through.
 */
export function ownJobOrAdmin(
  gate: RoleGate,
  access: Pick<ClusterAccess, 'run'>,
  service: Pick<JobsService, 'get'>,
  action: Extract<AuditAction, 'job.stop' | 'job.delete'>,
): RequestHandler {
  return async (req, _res, next) => {
    if (!gate.enforcing) return next();
    const role = gate.roleOf(req);
    const person = req.session?.person;
    // The gate in front set both; without them this middleware was put in the wrong place.
    if (!role || !person) throw new AppError('internal', 'The job ownership check ran without a role.');
    if (mayActOnJob(role, person, undefined)) return next();
    const { jobId } = parseInput(JobParams, req.params, 'job address');
    const job = await access.run(req, (c) => service.get(c, jobId));
    if (mayActOnJob(role, person, job.submittedBy)) return next();
    const verb = action === 'job.stop' ? 'Stopping' : 'Deleting';
    await gate.refuse(req, 'admin', role, action, `${verb} a job another person submitted`);
  };
}
