import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
  message?: string;
}

/**
 * Every error as JSON `{ statusCode, error, message }`. Body-parser's own errors (malformed JSON, a body over the
 * limit) become the 400 and 413 they are, with a message saying what to fix, instead of a 500.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    const { status, message } = this.describe(exception);
    res.status(status).json({ statusCode: status, error: HttpStatus[status] ?? 'Error', message });
  }

  private describe(exception: unknown): { status: number; message: string | string[] } {
    // Nest wraps body-parser's errors in an HttpException whose cause is the original.
    const parserError = (exception instanceof HttpException ? exception.cause : exception) as
      BodyParserError | undefined;
    if (parserError?.type === 'entity.too.large') {
      return {
        status: 413,
        message: `The request body is over the limit of ${parserError.limit} bytes. Send fewer URLs per notice.`,
      };
    }
    if (parserError?.type === 'entity.parse.failed') {
      return { status: 400, message: `The body is not valid JSON: ${parserError.message}` };
    }
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      const message =
        typeof body === 'object' && body && 'message' in body
          ? (body as { message: string | string[] }).message
          : exception.message;
      return { status: exception.getStatus(), message };
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return { status: 500, message: 'Internal server error' };
  }
}
