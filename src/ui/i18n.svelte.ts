/**
 * The UI's two languages. Course material is Chinese, so both are first-class: every label
 * exists in both; `t(key)` reads the current language reactively (Svelte 5 runes).
 */
export type Lang = 'en' | 'zh';

/** A text in both languages (`loc` picks the current one). */
export type Localized = Record<Lang, string>;

/**
 * A message the page shows (MessageText.svelte): our words in both languages, and maybe a
 * detail kept as it is (a diagnostic of a file's format or a browser's error, in English; a
 * link's protocol).
 */
export interface Message {
  text: Localized;
  detail?: string;
}

const STRINGS = {
  appTitle: { en: 'HA Lab', zh: 'HA Lab 高可用实验室' },
  /** The browser tab's title (index.html has the English). */
  pageTitle: { en: 'HA Lab — learn Redis high availability by doing it', zh: 'HA Lab — 动手学习 Redis 高可用' },
  preset: { en: 'World', zh: '世界' },
  newWorld: { en: 'Build', zh: '创建' },
  play: { en: 'Play', zh: '运行' },
  pause: { en: 'Pause', zh: '暂停' },
  step: { en: 'Step', zh: '单步' },
  speed: { en: 'Speed', zh: '速度' },
  forward: { en: 'Fast-forward', zh: '快进' },
  until: { en: 'until next', zh: '直到下一个' },
  rewind: { en: 'Rewind', zh: '倒回' },
  rewindTo: { en: 'Rewind to', zh: '倒回到' },
  rewindingHelp: {
    en: 'A rewind runs the world again from its start with everything you did, up to the chosen time (process memory cannot be saved, and the same inputs give the same world). The longer the session, the longer it takes (10 minutes of lab C2: about a second); with the processes on the page (World panel) it runs faster still.',
    zh: '倒回会从头重新运行这个世界，重放你做过的所有操作，直到所选时刻（进程内存无法保存，而相同的输入得到相同的世界）。会话越长，耗时越久（实验 C2 的 10 分钟：约一秒）；把进程放在页面上运行（“世界”面板）还会更快。',
  },
  virtualTime: { en: 'virtual time', zh: '虚拟时间' },
  achievedSpeed: { en: 'running at', zh: '实际速度' },
  achievedSpeedHelp: {
    en: 'The simulation cannot keep up with the chosen speed on this machine, so virtual time runs slower than chosen. Worlds with busy processes run faster with the processes on the page (the World panel\'s process placement).',
    zh: '在这台机器上模拟跟不上所选的速度，虚拟时间比所选的慢。进程繁忙的世界把进程放在页面上运行会更快（见“世界”面板的进程位置）。',
  },
  topology: { en: 'Topology', zh: '拓扑' },
  terminals: { en: 'Terminals', zh: '终端' },
  lesson: { en: 'Lesson', zh: '课程' },
  inspector: { en: 'Inspector', zh: '检查器' },
  timeline: { en: 'Timeline', zh: '时间线' },
  plots: { en: 'Plots', zh: '图表' },
  statecharts: { en: 'Statecharts', zh: '状态图' },
  kill9: { en: 'kill -9 (SIGKILL)', zh: 'kill -9（SIGKILL）' },
  sigterm: { en: 'SIGTERM (shutdown)', zh: 'SIGTERM（正常关闭）' },
  sigstop: { en: 'kill -STOP (freeze)', zh: 'kill -STOP（冻结）' },
  sigcont: { en: 'kill -CONT (resume)', zh: 'kill -CONT（恢复）' },
  frozen: { en: 'frozen', zh: '已冻结' },
  restart: { en: 'Restart', zh: '重启' },
  start: { en: 'Start again', zh: '重新启动' },
  openTerminal: { en: 'Open terminal', zh: '打开终端' },
  inspect: { en: 'Inspect', zh: '检查' },
  powerOff: { en: 'Power off', zh: '断电' },
  powerOn: { en: 'Power on', zh: '通电' },
  heal: { en: 'Heal', zh: '恢复' },
  healAll: { en: 'Heal all partitions', zh: '恢复所有分区' },
  // Short enough for one line in the topology's toolbar at 1024 px (test/e2e/layout.test.ts).
  partitionHint: { en: 'Drag from host to host to cut their link; click a cut to heal it.', zh: '从一台主机拖到另一台即可切断链路；点击断开处恢复。' },
  pulsesNote: { en: 'Pulses show that a message went and its size (log scale); their speed is not to scale.', zh: '脉冲表示消息的发送及其大小（对数比例）；移动速度并非实际比例。' },
  down: { en: 'powered off', zh: '已断电' },
  stopped: { en: 'stopped', zh: '已停止' },
  processes: { en: 'processes', zh: '进程' },
  connections: { en: 'connections', zh: '连接' },
  textView: { en: 'Text view', zh: '文字视图' },
  steps: { en: 'Steps', zh: '步骤' },
  hint: { en: 'Hint', zh: '提示' },
  showSolution: { en: 'Show solution', zh: '查看答案' },
  autoplay: { en: 'Autoplay', zh: '自动演示' },
  stopUntil: { en: 'stops the fast-forward until the event', zh: '停止快进到事件' },
  autoplaying: { en: 'Autoplaying', zh: '自动演示中' },
  done: { en: 'done', zh: '完成' },
  check: { en: 'Check', zh: '检查' },
  predict: { en: 'Predict first', zh: '先预测' },
  yourAnswer: { en: 'Your answer', zh: '你的答案' },
  answerWas: { en: 'What happened', zh: '实际结果' },
  lessonComplete: { en: 'Lesson complete', zh: '课程完成' },
  lessonFailed: { en: 'The lesson could not continue', zh: '课程无法继续' },
  noLesson: { en: 'No such lesson', zh: '没有这个课程' },
  processGone: { en: 'Process {pid} has exited (it is shown again here when the same command starts again).', zh: '进程 {pid} 已退出（同一命令再次启动后会在这里重新显示）。' },
  selectProcess: { en: 'Select a process in the topology to inspect it.', zh: '在拓扑图中选择一个进程进行检查。' },
  busy: { en: 'busy', zh: '忙碌' },
  language: { en: '中文', zh: 'English' },
  notRunning: { en: 'not running', zh: '未运行' },
  workspaceRestored: { en: 'Workspace restored', zh: '已恢复工作区' },
  workspaceNotRestored: { en: 'The workspace could not be restored', zh: '无法恢复工作区' },
  workspaceResetHint: { en: 'Reset (World tab) starts this world afresh.', zh: '点“世界”标签页中的“重置”可以从头开始这个世界。' },
  exportExperiment: { en: 'Export experiment', zh: '导出实验' },
  importExperiment: { en: 'Import experiment', zh: '导入实验' },
  copyLink: { en: 'Copy link', zh: '复制链接' },
  exportRedis: { en: 'Export to real Redis', zh: '导出到真实 Redis' },
  reset: { en: 'Reset', zh: '重置' },
  processesRun: { en: 'Processes run', zh: '进程运行在' },
  processesInWorkers: { en: 'one Web Worker each', zh: '各自的 Web Worker 中' },
  processesInPage: { en: 'in this tab (faster for big worlds)', zh: '本页面中（大拓扑更快）' },
  processesMovedToPage: { en: 'The processes now run in this tab: the world was replayed up to now.', zh: '进程现在运行在本页面中：世界已重放到当前时刻。' },
  processesMovedToWorkers: { en: 'Each process now runs in its own Web Worker: the world was replayed up to now.', zh: '每个进程现在运行在自己的 Web Worker 中：世界已重放到当前时刻。' },
  processesNote: {
    en: 'Each process in its own Web Worker is isolated like a separate program and keeps the page smooth; in this tab there are no messages between threads, so big worlds run several times faster. The world is the same either way: switching replays what you did, with the same seed, up to now.',
    zh: '每个进程在自己的 Web Worker 中，像独立的程序一样互相隔离，页面也保持流畅；在本页面中运行则没有线程间的消息往返，大拓扑能快好几倍。两种方式下世界完全一样：切换时会用同一个种子把你做过的操作重放到当前时刻。',
  },
  info: { en: 'INFO', zh: 'INFO' },
  keyspace: { en: 'Keyspace', zh: '键空间' },
  files: { en: 'Files', zh: '文件' },
  log: { en: 'Log', zh: '日志' },
  filter: { en: 'Filter', zh: '筛选' },
  messages: { en: 'Messages', zh: '消息' },
  events: { en: 'Events', zh: '事件' },
  opsPerSec: { en: 'ops/s', zh: '每秒操作数' },
  replOffset: { en: 'replication offset', zh: '复制偏移量' },
  totalCommands: { en: 'commands processed', zh: '已处理命令数' },
  keys: { en: 'keys', zh: '键' },
  noData: { en: 'No data yet.', zh: '暂无数据。' },
  editorHelp: {
    en: "The page's editor stands in for vi's screen: edit the text, then Save to write the file (vi's :wq, or Ctrl+S) or Quit to leave it unchanged (:q!). The terminal waits until you do.",
    zh: '页面编辑器代替 vi 的界面：编辑文本后，“保存”写入文件（相当于 vi 的 :wq，或按 Ctrl+S），“退出”则不修改文件（:q!）。在此之前终端会一直等待。',
  },
  editorSave: { en: 'Save (:wq)', zh: '保存 (:wq)' },
  editorQuit: { en: 'Quit without saving (:q!)', zh: '不保存退出 (:q!)' },
  msgHeld: { en: 'held', zh: '滞留' },
  msgHeldHelp: {
    en: 'The path broke while this was in flight: it never arrived. TCP keeps it and sends it again once the path heals (a new arrow then).',
    zh: '传输途中链路中断：它没有到达。TCP 保留它，待链路恢复后重传（届时出现新的箭头）。',
  },
  msgLost: { en: 'lost', zh: '丢失' },
  msgLostHelp: { en: "The sender's machine lost power while this was in flight: it is gone.", zh: '传输途中发送方机器断电：它已丢失。' },
  backlogPlot: {
    en: "replication backlog window on the master (band: repl_backlog_first_byte_offset … + repl_backlog_histlen) vs each replica's slave_repl_offset: a replica below the band can only full-sync",
    zh: '主节点的复制积压窗口（色带：repl_backlog_first_byte_offset … + repl_backlog_histlen）与各副本的 slave_repl_offset：低于色带的副本只能全量同步',
  },
  loadgenRatePlot: { en: 'load generator: acknowledged writes/s (solid) and errors/s (dashed)', zh: '负载生成器：每秒确认写入（实线）与每秒错误（虚线）' },
  ackedLostPlot: { en: 'acknowledged (green) vs lost (red) writes, errors (dashed): cumulative', zh: '已确认（绿）与丢失（红）的写入、错误（虚线）：累计' },
  loadgen: { en: 'Load generator', zh: '负载生成器' },
  acked: { en: 'acknowledged', zh: '已确认' },
  lost: { en: 'lost', zh: '丢失' },
  errors: { en: 'errors', zh: '错误' },
  loadgenHint: {
    en: 'Start a load generator to plot acknowledged and lost writes: halab-loadgen --target 127.0.0.1:7000 --rate 50 &',
    zh: '启动负载生成器即可绘制已确认与丢失的写入：halab-loadgen --target 127.0.0.1:7000 --rate 50 &',
  },
  statechartsNote: {
    en: "The engine's own state machines, drawn from their xstate definitions (layouts computed at build time): the live state of each, read from the process through the inspector, is lit and the last transition it took is animated.",
    zh: '引擎自身的状态机，由它们的 xstate 定义绘制（布局在构建时计算）：通过检查接口从进程读取的当前状态高亮，最近一次转换有动画。',
  },
  statechartsOf: { en: 'Machines of', zh: '状态机所属进程' },
  lastTransition: { en: 'last transition', zh: '最近转换' },
  statechartsSource: {
    en: 'Replica link: src/engine/replication/link-machine.ts · cluster failure detection: src/engine/cluster/failure-detector.ts · sentinel: src/engine/sentinel/instance-machine.ts, failover-machine.ts · time controls: src/ui/time/machine.ts.',
    zh: '复制链路：src/engine/replication/link-machine.ts · 集群故障检测：src/engine/cluster/failure-detector.ts · 哨兵：src/engine/sentinel/instance-machine.ts、failover-machine.ts · 时间控制：src/ui/time/machine.ts。',
  },
  plotsNote: { en: "Sampled from each server's INFO (read-only, through the process inspector) on virtual time.", zh: '按虚拟时间从每个服务器的 INFO 采样（只读，通过进程检查接口）。' },
  timelineHint: { en: 'Newest first; click an event to jump there (the world is re-run up to it).', zh: '最新的在前；点击事件即可跳到那一刻（世界会重新运行到该点）。' },
  workspaceNote: {
    en: 'The workspace (every input you made, the clock, lesson progress) is saved in this browser and restored on reload by replaying the inputs on the same seed. Keyboard: Space play/pause · . step · f fast-forward · b back 10 s · [ ] speed.',
    zh: '工作区（你的每一次输入、时钟、课程进度）保存在本浏览器中，重新加载时用相同的种子重放输入来恢复。键盘：空格 运行/暂停 · . 单步 · f 快进 · b 倒回 10 秒 · [ ] 调速。',
  },
  loggedOutHint: { en: 'Logged out: press Enter in the terminal to log in again.', zh: '已退出登录：在终端中按回车键重新登录。' },
  pausedHint: { en: 'The clock is paused: typed commands run when time moves (Space to play, . to step).', zh: '时钟已暂停：输入的命令要等时间走动才会执行（空格键运行，. 键单步）。' },
} satisfies Record<string, Record<Lang, string>>;

export type StringKey = keyof typeof STRINGS;

function initialLang(): Lang {
  try {
    const q = new URLSearchParams(globalThis.location?.search ?? '').get('lang');
    if (q === 'zh' || q === 'en') return q;
    const saved = globalThis.localStorage?.getItem('halab.lang');
    if (saved === 'zh' || saved === 'en') return saved;
  } catch {
    // no storage (tests)
  }
  return 'en';
}

export const i18n = $state({ lang: initialLang() as Lang });

export function t(key: StringKey): string {
  return STRINGS[key][i18n.lang];
}

/** A shared label in both languages (for a message kept until the language changes). */
export function both(key: StringKey): Localized {
  return STRINGS[key];
}

export function setLang(lang: Lang): void {
  i18n.lang = lang;
  try {
    globalThis.localStorage?.setItem('halab.lang', lang);
  } catch {
    // ignore
  }
  if (typeof document !== 'undefined') {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = STRINGS.pageTitle[lang];
  }
}

/** Pick the current language's text of a `{en, zh}` record. */
export function loc(text: { en: string; zh: string } | null | undefined): string {
  return text ? text[i18n.lang] : '';
}

/**
 * Text with `backquoted` parts (commands, config names) cut into prose and code, for the
 * page to show the code parts as code.
 */
export function codeParts(text: string): { text: string; code: boolean }[] {
  return text.split('`').map((part, i) => ({ text: part, code: i % 2 === 1 })).filter((p) => p.text !== '');
}
