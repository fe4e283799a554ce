# Records, in order, what each host did for each task, and the recap, as JSON
# lines: the same shape test/unit/cli/ansible-compat reads from rosey-apply.
from __future__ import annotations
import json
from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = 'rosey_compat'

    def __init__(self):
        super().__init__()
        self.ran = []

    def _add(self, result, status):
        name = result._task.get_name()
        if result._result.get('changed') and status == 'ok':
            status = 'changed'
        self.ran.append(f"{result._host.get_name()} {status} {name}")

    def v2_runner_on_ok(self, result):
        self._add(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._add(result, 'ignored' if ignore_errors else 'failed')

    def v2_runner_on_skipped(self, result):
        self._add(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._add(result, 'unreachable')

    def v2_playbook_on_stats(self, stats):
        recap = {}
        for h in sorted(stats.processed.keys()):
            s = stats.summarize(h)
            recap[h] = {k: s[k2] for k, k2 in [('ok', 'ok'), ('changed', 'changed'), ('failed', 'failures'), ('skipped', 'skipped'), ('rescued', 'rescued'), ('ignored', 'ignored'), ('unreachable', 'unreachable')]}
        self._display.display(json.dumps({'ran': self.ran, 'recap': recap}))
