import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { CaseTransitionError } from './case-workflow';

/** A move the workflow refuses is a 409 that says where the case may go instead. */
@Catch(CaseTransitionError)
export class CaseTransitionFilter implements ExceptionFilter {
  catch(error: CaseTransitionError, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(HttpStatus.CONFLICT)
      .json({ statusCode: HttpStatus.CONFLICT, error: 'Conflict', message: error.message, allowed: error.allowed });
  }
}
