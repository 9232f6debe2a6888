import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputFileError } from '../../../core/errors.js';
import { readTrace } from '../../../envs/autoscaling/load/trace-file.js';

const dir = mkdtempSync(join(tmpdir(), 'schedlab-load-trace-'));
let n = 0;
function file(text: string): string {
  const path = join(dir, `t${n++}.csv`);
  writeFileSync(path, text);
  return path;
}

/** The error readTrace throws on `text`, checked to be an InputFileError. */
function failure(text: string): InputFileError {
  const path = file(text);
  try {
    readTrace(path);
  } catch (e) {
    expect(e).toBeInstanceOf(InputFileError);
    expect((e as InputFileError).file).toBe(path);
    return e as InputFileError;
  }
  throw new Error(`readTrace accepted ${JSON.stringify(text)}`);
}

describe('load trace reader: impossible or malformed values are refused with file, line and field', () => {
  it('rejects the impossible clock time 23:99:99 (it used to stretch a 7-minute trace to 6.6 hours)', () => {
    const e = failure(
      'TIMESTAMP,ContextTokens\n2023-11-16 18:15:00,1\n2023-11-16 18:16:00,1\n2023-11-16 23:99:99,1\n2023-11-16 18:22:00,1\n',
    );
    expect(e.line).toBe(4);
    expect(e.field).toBe('timestamp');
    expect(e.message).toMatch(
      /:4 \(field timestamp\): '2023-11-16 23:99:99' has minute 99, outside 0–59; accepted: YYYY-MM-DD HH:MM:SS\[\.fraction\] \(a real date and clock time\) or decimal seconds$/,
    );
  });

  it.each([
    ['2023-13-01 00:00:00', /has month 13/],
    ['2023-00-10 00:00:00', /has month 00/],
    ['2023-02-30 00:00:00', /has day 30, but 2023-02 has 28 days/],
    ['2023-04-31 00:00:00', /has day 31, but 2023-04 has 30 days/],
    ['2023-11-16 24:00:00', /has hour 24/],
    ['2023-11-16 10:00:60', /has second 60/],
    ['2023-11-16 1:00:00', /is neither a date nor a decimal number of seconds/],
    ['2023-11-16 10:00:00+01:00', /is neither a date nor a decimal number/],
  ])('rejects %s', (bad, message) => {
    const e = failure(`TIMESTAMP\n2023-11-16 09:00:00\n${bad}\n2023-11-16 11:00:00\n`);
    expect(e.line).toBe(3);
    expect(e.message).toMatch(message);
    // One list of what is accepted, not two.
    expect(e.message.match(/accepted:/g)).toHaveLength(1);
  });

  it('accepts a leap day and fractional seconds', () => {
    const t = readTrace(file('TIMESTAMP\n2024-02-29 23:59:59.5\n2024-03-01 00:00:01.25\n'));
    expect(t.duration).toBeCloseTo(1.75, 9);
    expect(t.startTimeOfDay).toBeCloseTo(86399.5, 9);
  });

  it('a malformed first row is an error, not a header skipped in silence', () => {
    const e = failure('2023-11-16 23:99:99\n2023-11-16 18:15:00\n2023-11-16 18:16:00\n');
    expect(e.line).toBe(1);
    expect(failure('1e\n2\n3\n').line).toBe(1);
  });

  it('seconds must be decimal numbers: hex, binary and Infinity are refused', () => {
    expect(failure('t\n0\n0x10\n20\n').message).toMatch(/:3 \(field timestamp\): '0x10' is neither a date nor a decimal/);
    expect(failure('t\n0\n0b11\n').line).toBe(3);
    expect(failure('t\n0\nInfinity\n').line).toBe(3);
    expect(readTrace(file('t\n0\n1.5e1\n30\n')).duration).toBe(30);
  });

  it('one form per file: a date after seconds (or seconds after dates) is refused', () => {
    expect(failure('t\n0\n10\n2023-11-16 18:15:00\n').message).toMatch(
      /:4 \(field timestamp\): .* is a date, but the first row gives seconds/,
    );
    expect(failure('t\n2023-11-16 18:15:00\n1700158600\n').message).toMatch(
      /:3 \(field timestamp\): '1700158600' is plain seconds, but the first row gives a date/,
    );
    expect(failure('time,rate\n0,1\n2023-11-16 18:15:00,1\n').message).toMatch(/:3 \(field time\): .* is a date/);
  });

  it('rate traces: impossible times and non-decimal rates are refused', () => {
    expect(failure('time,rate\n2023-11-16 18:00:00,1\n2023-11-16 18:61:00,2\n').message).toMatch(
      /:3 \(field time\): '2023-11-16 18:61:00' has minute 61/,
    );
    expect(failure('time,rate\n0,1\n60,0x10\n').message).toMatch(/:3 \(field rate\): '0x10' is not a rate/);
    expect(failure('time,rate\n0,1\n60,Infinity\n').message).toMatch(/:3 \(field rate\)/);
    expect(failure('time,rate\n0,1\n60, \n').message).toMatch(/:3 \(field rate\)/);
    expect(readTrace(file('time,rate\n0,1\n60,2.5\n')).duration).toBe(120);
  });
});
