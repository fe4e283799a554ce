import { beforeAll, describe, expect, it } from 'vitest';
import { exec, hosts } from './testbed.js';
import { rosey, statuses, testbedInventory, workspace } from './harness.js';

const BASE = '/srv/rosey-it/deploy';
const PORT = 8391;

// A tiny service that serves its release's version file: the health check reads it.
const UNIT = `[Service]
WorkingDirectory=${BASE}/current
ExecStart=/usr/bin/node -e "require('http').createServer((q,s)=>{const v=require('fs').readFileSync('version','utf8').trim();s.writeHead(v==='bad'?503:200,{'content-type':'application/json'});s.end(JSON.stringify({version:v}))}).listen(${PORT})"
`;

const playbook = (host: string, address: string) => `
- name: deploy with a health check, rolled back by rescue
  hosts: ${host}
  tasks:
    - name: unit
      copy: { dest: /etc/systemd/system/rosey-deploy.service, content: ${JSON.stringify(UNIT)} }
    - name: deploy and verify
      block:
        - name: release
          release: { src: "{{ app }}", base: ${BASE}, id: "{{ app }}" }
          register: rel
        - name: restart
          systemd: { name: rosey-deploy, state: restarted, daemon_reload: true }
        - name: health
          uri: { url: "http://${address}:${PORT}/", status_code: 200 }
          register: health
          until: health.status == 200
          retries: 3
          delay: 1
      rescue:
        - name: roll back
          release: { base: ${BASE}, state: rollback }
        - name: restart old
          systemd: { name: rosey-deploy, state: restarted }
        - name: old answers
          uri: { url: "http://${address}:${PORT}/" }
          register: old
          until: old.status == 200
          retries: 10
          delay: 1
        - name: report
          fail: { msg: "rolled back to {{ old.json.version }}" }
`;

describe('a deploy whose health check fails is rolled back by rescue', () => {
  let dir: string;
  let host: string;
  beforeAll(async () => {
    const h = hosts()[1]!;
    host = h.name;
    await exec(host, `systemctl stop rosey-deploy 2>/dev/null; rm -rf ${BASE}; true`);
    dir = workspace({ 'site.yml': playbook(host, h.address), 'files/v1/version': 'v1\n', 'files/bad/version': 'bad\n', 'inventory/hosts.yml': testbedInventory({ names: [host] }) });
  });

  it('v1 deploys and answers', async () => {
    const r = await rosey(['site.yml', '-i', 'inventory', '--json', '-e', 'app=v1'], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(statuses(r, 'health')).toEqual({ [host]: 'ok' });
    expect((await exec(host, `readlink ${BASE}/current`)).stdout).toBe('releases/v1\n');
  });

  it('a bad release fails its check; rescue flips current back and the old version answers', async () => {
    const r = await rosey(['site.yml', '-i', 'inventory', '--json', '-e', 'app=bad'], dir);
    expect(statuses(r, 'health')).toEqual({ [host]: 'failed' });
    expect(statuses(r, 'roll back')).toEqual({ [host]: 'changed' });
    expect(r.stdout).toContain('rolled back to v1');
    expect((await exec(host, `readlink ${BASE}/current; curl -s http://127.0.0.1:${PORT}/ 2>/dev/null || true`)).stdout).toMatch(/^releases\/v1\n/);
  });
});
