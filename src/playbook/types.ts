import type { SourceLoc } from '../errors/diagnostic.js';

/** A role as loaded: its folder (for files/ and templates/) and its variables. */
export interface Role {
  name: string;
  dir: string;
  defaults: Record<string, unknown>;
  vars: Record<string, unknown>;
  /**
   * `roles: [{role: x, p: 1}]`, `include_role: {name: x, vars: ...}`: above
   * set_fact, for this role's tasks only (Ansible's role params)
   */
  params: Record<string, unknown>;
}

/** Keywords shared by tasks and blocks. */
export interface TaskCommon {
  name?: string;
  loc: SourceLoc;
  /** conditions, all must hold (`when:` string or list) */
  when: string[];
  tags: string[];
  become?: boolean;
  becomeUser?: string;
  ignoreErrors: boolean;
  noLog: boolean;
  vars: Record<string, unknown>;
  /** the role the task came from: its files/templates and vars */
  role?: Role;
  /** the folder of the file the task is written in (for relative src) */
  dir: string;
  /** `check_mode: false` runs for real under --check; `true` never changes anything (a block's applies inside it) */
  checkMode?: boolean;
}

export interface Task extends TaskCommon {
  kind: 'task';
  module: string;
  args: Record<string, unknown>;
  loop?: unknown;
  loopVar: string;
  /** with_items: nested lists are flattened one level */
  flattenLoop: boolean;
  register?: string;
  notify: string[];
  changedWhen?: string[];
  failedWhen?: string[];
  until?: string[];
  /** a number, or a template rendered to one per host when the task runs */
  retries: number | string;
  delayS: number | string;
  /** `delegate_to: localhost`: the task runs on the controller, for this host */
  delegateToLocal: boolean;
  /** handlers only: extra topics this handler answers to */
  listen: string[];
  /** run on the batch's first host; the result is every host's */
  runOnce: boolean;
}

export interface Block extends TaskCommon {
  kind: 'block';
  block: TaskNode[];
  rescue: TaskNode[];
  always: TaskNode[];
  /**
   * include_tasks / include_role: a task of its own (counted ok), its `when`
   * evaluated once; a templated file name is read when the host reaches it.
   * Without it, the node is a block or an import: its `when` is checked
   * again for every task inside, as Ansible does.
   */
  include?: Include;
}

export interface Include {
  /** the file name as written (may be a template) */
  file: string;
  /** read and validate a task file, relative to where the include is written; throws UserError */
  load(path: string): TaskNode[];
}

export type TaskNode = Task | Block;

export interface Section {
  name: 'pre_tasks' | 'tasks' | 'post_tasks';
  tasks: TaskNode[];
}

export interface Play {
  name: string;
  loc: SourceLoc;
  hosts: string;
  /** the playbook's folder: relative vars_files, files/, templates/ */
  dir: string;
  vars: Record<string, unknown>;
  /** vars_files already read, in order */
  varsFiles: Record<string, unknown>[];
  become: boolean;
  becomeUser?: string;
  gatherFacts: boolean;
  /** hosts per batch: a number or a percentage of the play's hosts; a list gives successive batches, the last repeating */
  serial?: (number | string)[];
  maxFailPercentage?: number;
  anyErrorsFatal: boolean;
  /** notified handlers run even on hosts that failed later */
  forceHandlers: boolean;
  tags: string[];
  roles: Role[];
  /**
   * pre_tasks, then role tasks + tasks, then post_tasks: notified handlers
   * run after each section, as in Ansible
   */
  sections: Section[];
  handlers: Task[];
}

export interface Playbook {
  file: string;
  plays: Play[];
}
