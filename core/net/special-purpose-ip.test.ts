import { describe, expect, it } from 'vitest';
import { isPublicIpAddress, parseIpAddress, specialPurposeReason } from './special-purpose-ip';

describe('parseIpAddress', () => {
  it.each([
    ['81.2.69.142', [81, 2, 69, 142]],
    ['0.0.0.0', [0, 0, 0, 0]],
    ['255.255.255.255', [255, 255, 255, 255]],
  ])('parses IPv4 %s', (text, bytes) => {
    expect(parseIpAddress(text)).toEqual({ version: 4, bytes: new Uint8Array(bytes) });
  });

  it.each([
    ['2001:db8::1', '20010db8000000000000000000000001'],
    ['::', '00000000000000000000000000000000'],
    ['::ffff:192.168.1.1', '00000000000000000000ffffc0a80101'],
    ['[fe80::1%eth0]', 'fe800000000000000000000000000001'],
    ['2a02:cf40:0:0:0:0:0:7', '2a02cf40000000000000000000000007'],
  ])('parses IPv6 %s', (text, hex) => {
    const ip = parseIpAddress(text);
    expect(ip?.version).toBe(6);
    expect(Buffer.from(ip!.bytes).toString('hex')).toBe(hex);
  });

  it.each(['1.2.3', '1.2.3.4.5', '256.1.1.1', '010.0.0.1', '10.0.0.1x', 'example.com', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', '', ':::'])(
    'refuses %j',
    (text) => {
      expect(parseIpAddress(text)).toBeNull();
    },
  );
});

describe('specialPurposeReason', () => {
  it.each([
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['0.1.2.3', 'this-network'],
    ['203.0.113.9', 'documentation (TEST-NET-3)'],
    ['198.18.0.1', 'benchmarking'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fd12:3456::1', 'unique-local (private)'],
    ['fe80::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:7f00:1', 'loopback'],
    ['2002:c0a8:0101::1', 'private'],
    ['not-an-ip', 'not an IP address'],
  ])('%s is %s', (address, reason) => {
    expect(specialPurposeReason(address)).toBe(reason);
    expect(isPublicIpAddress(address)).toBe(false);
  });

  it.each(['81.2.69.142', '52.207.21.207', '172.32.0.1', '172.15.255.255', '100.128.0.1', '2a02:cf40::7', '2606:4700::1111', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => {
      expect(specialPurposeReason(address)).toBeNull();
      expect(isPublicIpAddress(address)).toBe(true);
    },
  );
});
