import { describe, expect, it } from 'vitest';
import { athenaErrorResult, athenaValue, errorTypeName, isHeaderRow, queryFailureReason, type QueryExecution } from './wire';

describe('athenaValue', () => {
  it.each([
    ['integer', '42', 42],
    ['tinyint', '-3', -3],
    ['bigint', '9007199254740991', 9007199254740991],
    ['bigint', '9007199254740992', '9007199254740992'],
    ['bigint', '-9223372036854775808', '-9223372036854775808'],
    ['double', '0.1', 0.1],
    ['double', '1.0E-5', 0.00001],
    ['double', 'Infinity', 'Infinity'],
    ['double', 'NaN', 'NaN'],
    ['boolean', 'true', true],
    ['boolean', 'false', false],
    ['varchar', '42', '42'],
    ['varchar', '', ''],
    ['timestamp', '2026-11-27 09:14:03.120', '2026-11-27T09:14:03.120Z'],
    ['timestamp', '2026-11-27 09:14:03', '2026-11-27T09:14:03Z'],
    ['timestamp with time zone', '2026-11-27 09:14:03.120 UTC', '2026-11-27 09:14:03.120 UTC'],
    ['date', '2026-11-27', '2026-11-27'],
    ['decimal(10,2)', '12.50', '12.50'],
    ['array', '[a, b]', '[a, b]'],
  ])('reads %s %j as %j', (type, text, expected) => {
    expect(athenaValue(type, text)).toEqual(expected);
  });

  it('reads a missing VarCharValue as null whatever the type', () => {
    expect(['varchar', 'bigint', 'boolean', 'timestamp'].map((t) => athenaValue(t, undefined))).toEqual([null, null, null, null]);
  });
});

describe('errors', () => {
  const what = 'Athena (us-east-1, workgroup w) GetQueryExecution';
  it('strips the namespace and URI from an error type', () => {
    expect(errorTypeName('com.amazonaws.athena#InvalidRequestException')).toBe('InvalidRequestException');
    expect(errorTypeName('ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/')).toBe('ThrottlingException');
    expect(errorTypeName('')).toBeUndefined();
  });

  it('names the permissions to grant on AccessDeniedException', () => {
    const result = athenaErrorResult(400, new Headers(), JSON.stringify({ __type: 'AccessDeniedException', Message: 'User is not authorized to perform: athena:GetQueryExecution' }), what);
    expect(result).toEqual({ kind: 'failure', message: expect.stringMatching(/^Athena .* answered 400 \(AccessDeniedException: User is not authorized .*\): the IAM principal of accessKeyId is not allowed/) });
  });

  it('reads the type from x-amzn-ErrorType when the body has none, and keeps Retry-After', () => {
    expect(athenaErrorResult(400, new Headers({ 'x-amzn-errortype': 'ThrottlingException:' }), '{"message":"Rate exceeded"}', what)).toEqual({
      kind: 'retryable',
      message: `${what} answered 400 (ThrottlingException: Rate exceeded)`,
    });
    expect(athenaErrorResult(503, new Headers({ 'retry-after': '2' }), '<html>Service Unavailable</html>', what)).toEqual({
      kind: 'retryable',
      message: `${what} answered 503 (<html>Service Unavailable</html>)`,
      retryAfterMs: 2000,
    });
  });

  it('fails on InvalidRequestException with its message', () => {
    expect(athenaErrorResult(400, new Headers(), '{"__type":"InvalidRequestException","AthenaErrorCode":"INVALID_INPUT","Message":"WorkGroup x is not found."}', what)).toEqual({
      kind: 'failure',
      message: `${what} answered 400 (InvalidRequestException: WorkGroup x is not found.)`,
    });
  });

  it('joins StateChangeReason and a different AthenaError message with the category', () => {
    const execution = { QueryExecutionId: 'q', Status: { State: 'FAILED', StateChangeReason: 'Query timeout', AthenaError: { ErrorCategory: 1, ErrorType: 206, ErrorMessage: 'Query exhausted its time limit' } } } as QueryExecution;
    expect(queryFailureReason(execution)).toBe('Query timeout — Query exhausted its time limit [system error, type 206]');
    expect(queryFailureReason({ QueryExecutionId: 'q', Status: { State: 'CANCELLED' } } as QueryExecution)).toBe('no reason given');
  });
});

describe('isHeaderRow', () => {
  const columns = [{ Name: 'a', Label: 'a', Type: 'varchar' }, { Name: 'b', Type: 'bigint' }];
  it('recognises the column labels, and nothing else', () => {
    expect(isHeaderRow(columns, { Data: [{ VarCharValue: 'a' }, { VarCharValue: 'b' }] })).toBe(true);
    expect(isHeaderRow(columns, { Data: [{ VarCharValue: 'a' }, {}] })).toBe(false);
    expect(isHeaderRow(columns, undefined)).toBe(false);
  });
});
