// deploy/blog.service (README, "Install on Debian"): systemd itself reads the
// unit (`systemd-analyze verify`, no warnings) and rates its sandbox
// (`systemd-analyze security --offline`: an exposure of at most 2.0 of 10),
// and the unit holds what the server needs in production.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const UNIT = 'deploy/blog.service';

/** The unit's settings, each name with all its values in order. */
function settingsOf(file: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, name = '', value = ''] = match;
    settings.set(name, [...(settings.get(name) ?? []), value]);
  }
  return settings;
}

const systemdAnalyze = (...args: string[]) => spawnSync('systemd-analyze', args, { encoding: 'utf8' });

describe('the systemd unit', () => {
  it('is read by systemd without an error or a warning', () => {
    const run = systemdAnalyze('verify', UNIT);
    expect(run.stderr + run.stdout).toBe('');
    expect(run.status).toBe(0);
  });

  it('is sandboxed: systemd\'s own rating of its exposure is at most 2.0 ("OK")', () => {
    const run = systemdAnalyze('security', '--offline=yes', '--threshold=20', UNIT);
    expect(run.stdout).toMatch(/Overall exposure level for blog\.service: [01]\.\d OK/);
    expect(run.status, run.stdout).toBe(0);
  });

  it('runs as its own user, may write only its data directory, and stops gracefully', () => {
    const settings = settingsOf(UNIT);
    const one = (name: string) => settings.get(name)?.at(-1);
    expect(one('User')).toBe('blog');
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('ReadWritePaths')).toBe('/var/lib/blog');
    expect(settings.get('Environment')).toContain('DATA_DIR=/var/lib/blog');
    expect(settings.get('Environment')).toContain('NODE_ENV=production');
    expect(settings.get('Environment')).toContain('MALLOC_ARENA_MAX=2');
    expect(one('EnvironmentFile')).toBe('/etc/blog/blog.env');
    for (const name of ['NoNewPrivileges', 'PrivateTmp', 'ProtectHome', 'PrivateDevices'])
      expect(one(name), name).toBe('true');
    expect(one('Restart')).toBe('on-failure');
    expect(one('KillSignal')).toBe('SIGTERM');
    expect(Number(one('TimeoutStopSec'))).toBeGreaterThanOrEqual(10);
    // V8 writes the machine code it compiles: this would stop the server at start.
    expect(settings.has('MemoryDenyWriteExecute')).toBe(false);
  });
});
