import { describe, expect, it } from 'vitest';
import { parseCidr } from './cidr';

describe('parseCidr', () => {
  it.each([
    ['10.0.0.0/8', 4, '10.0.0.0', 8, false],
    ['10.1.2.3/8', 4, '10.0.0.0', 8, true],
    ['0.0.0.0/0', 4, '0.0.0.0', 0, false],
    ['192.168.1.7', 4, '192.168.1.7', 32, false],
    ['2001:DB8::1/32', 6, '2001:db8::', 32, true],
    ['::ffff:10.1.2.3/120', 6, '::ffff:a01:200', 120, true],
    ['fe80::1:0:0:0:1/64', 6, 'fe80:0:0:1::', 64, true],
    ['1:0:0:1:0:0:0:1', 6, '1:0:0:1::1', 128, false],
    ['2001:db8:0:0:1:0:0:1', 6, '2001:db8::1:0:0:1', 128, false],
    ['::', 6, '::', 128, false],
    ['::1/128', 6, '::1', 128, false],
  ])('%s is %s %s/%s (as Python ipaddress)', (value, version, network, prefix, hostBitsSet) => {
    expect(parseCidr(value)).toEqual({ version, network, prefix, hostBitsSet });
  });

  it.each(['10.0.0/8', '10.0.0.0/33', '10.0.0.256', '010.0.0.1', '10.0.0.0/a', '1::2::3', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', '12345::', '::1.2.3.4:1', '', 'x'])(
    'refuses %j',
    (value) => {
      expect(parseCidr(value)).toHaveProperty('error');
    },
  );
});
