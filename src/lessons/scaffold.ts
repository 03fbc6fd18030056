/**
 * The text of a new lesson (`npm run lesson:new -- <id>`): every part of the format, filled
 * with a tiny working example (one host, one step) and TODO markers, so an author starts from
 * something that validates and that the autopilot can play.
 */
import { LAB_IDS, SOURCE_DOCUMENTS } from './catalog';

export interface ScaffoldOptions {
  id: string;
  lab?: string;
  source?: string;
}

export function scaffoldLesson({ id, lab = LAB_IDS[0], source = SOURCE_DOCUMENTS[0] }: ScaffoldOptions): string {
  return `---
# Lesson format: docs/LESSON-FORMAT.md. Validate and play it with: npm run lessons:check
id: ${id}
title:
  en: "TODO: English title"
  zh: "TODO: 中文标题"
summary:
  en: "TODO: one sentence for the course map."
  zh: "TODO: 课程地图上的一句话。"
labs: [${lab}]
source: ${source}
level: beginner
seed: 1
topology:
  hosts:
    - name: redis01
      ip: 10.0.0.1
      disk: ssd
      files:
        /etc/redis/6379.conf: |
          port 6379
          daemonize yes
          dir /var/redis/6379
          appendonly no
      dirs: [/var/redis/6379]
      boot:
        - redis-server /etc/redis/6379.conf
# faults:
#   - at: 5m
#     do: poweroff redis01
# loadgen:
#   host: redis01
#   target: 10.0.0.1:6379
#   rate: 50
#   keys: 1000
---

## intro

### en

TODO: why this lab matters, in a few sentences.

### zh

TODO：为什么要做这个实验，几句话说清楚。

## step: write-a-key

### en: Write a key

TODO: what to do, and why.

\`\`\`try
redis01$ redis-cli -p 6379 SET greeting hello
\`\`\`

### zh: 写入一个键

TODO：要做什么，为什么。

\`\`\`try
redis01$ redis-cli -p 6379 SET greeting hello
\`\`\`

\`\`\`predict
question:
  en: "TODO: What will GET greeting answer?"
  zh: "TODO：GET greeting 会返回什么？"
choices:
  - en: hello
    zh: hello
    when: key("redis01:6379", "greeting") == "hello"
  - en: (nil)
    zh: (nil)
    when: not exists("redis01:6379", "greeting")
\`\`\`

\`\`\`hint
en: "TODO: a nudge, not the answer."
zh: "TODO：给个提示，而不是答案。"
\`\`\`

\`\`\`check
key("redis01:6379", "greeting") == "hello"
\`\`\`

\`\`\`solution
redis01$ redis-cli -p 6379 SET greeting hello
\`\`\`

## remember

### en

- TODO: what to take away.

### zh

- TODO：要记住什么。
`;
}
