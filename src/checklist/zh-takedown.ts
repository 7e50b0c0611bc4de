import { NoticeText, Span, lineIndexAt } from './text';
import { SUBJECT, isPlaceholder, isSendersZh, labelled, sentences, textOf, zhFacts, zhStatements } from './zh-text';

const S = SUBJECT;
const re = (source: string, flags = ''): RegExp => new RegExp(source, flags);

const AUTHORITY = [
  re(
    `${S}[^。\\n]{0,40}?(?:是|系|为|作为)[^。\\n]{0,40}?(?:著作权人|著作权所有人|版权所有者|版权所有人|版权方|版权持有人|合法权利人|权利人|原作者|作者|开发者|开发商|研发者|出品方|发行商|独家代理|授权代理|委托代理人|代理人|代理机构|代理律师|法律顾问|被许可人|独占许可|独家被许可)`,
  ),
  re(
    `${S}[^。\\n]{0,30}?(?:享有|拥有|持有)[^。\\n]{0,40}?(?:著作权|版权|信息网络传播权|知识产权|专有(?:使用)?权|独家(?:代理|许可|授权))`,
  ),
  re(`(?:著作权|版权|知识产权)[^。\\n]{0,10}?(?:归|属于)[^。\\n]{0,6}?${S}`),
  /(?:受|接受)[^。\n]{1,60}?(?:的)?(?:委托|授权|委派)/,
  /(?<!未)经[^。\n]{1,40}?(?:授权|委托)/,
  re(`代表(?:${S}|[^。\\n]{1,60}?(?:公司|权利人|著作权人|客户|委托人|当事人|工作室))`),
  re(`${S}[^。\\n，,]{0,10}?(?:自主|独立|原创)?(?:开发|研发|创作|编写|制作|设计|出品)(?:了|的)`),
  re(`${S}[^。\\n]{0,20}?(?<!未|没有|尚未|并未)(?:获得|取得)[^。\\n]{0,40}?(?:授权|委托|许可)`),
  /(?:附|附件|随附|随函|已附|见附件|详见附件)[^。\n]{0,30}?授权(?:委托)?书|授权(?:委托)?书[^。\n]{0,10}?(?:见附件|附后|随附|已附)/,
];
const AUTHORITY_LABELS = '权利人(?:名称|姓名)?|著作权人|版权所有者|版权方|代理人(?:名称|姓名)?|代理机构|委托代理人';

export function zhAuthoritySpans(doc: NoticeText): Span[] {
  const said = zhStatements(doc, (t) => AUTHORITY.some((r) => r.test(t)) && !/不是|并非|并不是/.test(t));
  return [...said, ...labelled(doc, AUTHORITY_LABELS).map((l) => l.span)];
}

const CONTACT_LABELS =
  '联系电话|联系方式|电话号码|电话|手机号码|手机号|手机|座机|固话|电子邮箱|电子邮件|邮箱地址|邮箱|邮件地址|通讯地址|通信地址|联系地址|办公地址|邮寄地址|地址|住所|住址|传真|QQ|微信|邮编|E-?mail|Tel';
const MOBILE = /(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}(?!\d)/g;
const LANDLINE = /(?<!\d)(?:\+?86[-\s]?)?(?:0\d{2,3}[-－—\s]|[（(]0\d{2,3}[）)]\s?)\d{7,8}(?!\d)/g;
const ADDRESS =
  /[\u4e00-\u9fff]{2,10}(?:省|自治区|市)[\u4e00-\u9fff\d]{0,30}?(?:路|街|大道|道|巷|弄|村|里)[\d\-－]{1,6}号/g;
/** Labels that give the uploader's or infringer's details, not the sender's. */
const OTHER_PARTY = /侵权方|侵权人|被投诉|上传者|上传用户|发布者|对方/;

export function zhContactSpans(doc: NoticeText): Span[] {
  const onOtherPartyLine = (s: Span): boolean => {
    return OTHER_PARTY.test(doc.text.slice(doc.lines.start(lineIndexAt(doc, s.start)), s.start));
  };
  return [
    ...labelled(doc, CONTACT_LABELS, { anywhere: true })
      .filter((l) => !/^https?:/i.test(l.value))
      .map((l) => l.span),
    ...zhFacts(doc, MOBILE),
    ...zhFacts(doc, LANDLINE),
    ...zhFacts(doc, ADDRESS),
  ].filter((s) => !onOtherPartyLine(s));
}

const WORK_LABELS =
  '作品名称|作品名|软件名称|软件名|游戏名称|应用名称|产品名称|程序名称|字体名称|权利作品|被侵权作品|涉及作品|原作品(?:名称|地址|链接|网址)?|作品(?:信息)?|官方网站|官方网址|官网|正版(?:地址|链接)|著作权登记号|登记号|证书编号|权属证明(?:材料)?';
const TITLE = /《([^《》\n]{1,60})》/g;
const LAW_TITLE = /(?:条例|法|规定|办法|公约|解释|通知|协议|条款|政策|指引|须知)$/;
const WORK_FACTS = [
  /[“"「][^”"」\n]{1,40}[”"」](?:软件|游戏|应用|程序|字体|插件|客户端|工具)|(?:软件|游戏|应用|程序|字体|插件)[“"「][^”"」\n]{1,40}[”"」]/g,
  /软著登字第?\s*\d{4,10}\s*号/g,
  /(?<![A-Za-z\d])\d{4}SR\d{5,8}(?!\d)/g,
  /国作登字[-－]?\d{4}[-－][A-Z][-－]\d{5,10}/g,
  /(?:计算机软件著作权登记证书|著作权登记证书|作品登记证书|版权登记证书)/g,
  re(
    `${S}(?:的|自主|独立)?[^。\\n，,]{0,8}?(?:开发|研发|创作|编写|制作|设计|出品)的[^。\\n，,]{0,30}?(?:软件|游戏|应用|程序|作品|插件|工具|字体|客户端|App|APP)`,
    'g',
  ),
  re(`${S}(?:的|自己的)(?:原创)?(?:软件|游戏|应用|程序|作品|插件|工具|字体|产品|客户端|App|APP)`, 'g'),
];
const URL = /\bhttps?:\/\/[^\s<>"'\])）】，。；]{3,2000}/gi;
const ORIGINAL_BEFORE =
  /(?:官网|官方|原作|正版|原始|原版|作品(?:地址|链接|主页|网址)|发布(?:页|地址)|项目(?:主页|地址))[^\n]{0,30}$/;

export function zhWorkSpans(doc: NoticeText): Span[] {
  const titles = zhFacts(doc, TITLE).filter((s) => !LAW_TITLE.test(textOf(doc, s).slice(1, -1)));
  const originals = zhFacts(doc, URL).filter((s) => ORIGINAL_BEFORE.test(lineBefore(doc, s)));
  return [
    ...labelled(doc, WORK_LABELS).map((l) => l.span),
    ...titles,
    ...WORK_FACTS.flatMap((r) => zhFacts(doc, r)),
    ...originals,
  ];
}

const INFRINGING_LABELS =
  '侵权链接|侵权网址|侵权地址|侵权页面|侵权内容(?:链接|地址|网址)?|涉嫌侵权(?:的)?(?:链接|网址|内容|页面)|被投诉(?:的)?(?:链接|网址|内容|页面)|投诉链接|举报链接|要求删除(?:的)?(?:链接|网址|内容)|需(?:要)?删除(?:的)?(?:链接|网址|内容)|盗版(?:链接|地址|页面)|下载(?:链接|地址|页面)|链接地址|链接|网址';
const IDENTIFIES =
  /https?:\/\/|(?<![\w-])[\w-]+\/[\w.-]+|(?<![\w-])[\w-]+\.(?:exe|zip|rar|7z|apk|dmg|iso|msi|pkg|tar|gz)\b/i;
const INFRINGING_BEFORE =
  /侵权|侵犯|盗版|未经(?:授权|许可)|删除|断开|下架|移除|屏蔽|撤下|上传|发布|提供下载|破解|传播|如下|以下|地址|链接|网址|页面|贵站|贵网站|你们/;
const INFRINGING_AFTER =
  /^[^。\n]{0,60}?(?:侵权|侵犯|盗版|未经|没有(?:经过)?(?:授权|许可|同意)|删除|下架|断开|移除|屏蔽|撤下)/;

const LIST_MARKER = /^\s*(?:\d{1,3}[.、)）]|[（(]\d{1,3}[)）]|[-•·]|[一二三四五六七八九十]{1,3}[、.])?\s*$/;
const URL_LINE = /^\s*(?:\d{1,3}[.、)）]|[（(]\d{1,3}[)）]|[-•·])?\s*https?:\/\/\S+\s*$/;

/**
 * Up to 80 characters before a URL: on its line, or, when the URL starts its line (after a list number), the
 * nearest line above that is not another URL of the same list.
 */
function lineBefore(doc: NoticeText, s: Span): string {
  const index = lineIndexAt(doc, s.start);
  const onLine = doc.text.slice(doc.lines.start(index), s.start);
  if (!LIST_MARKER.test(onLine)) return onLine.slice(-80);
  for (let i = index - 1; i >= 0 && i >= index - 13; i--) {
    if (doc.lines.blank(i)) continue;
    const text = doc.lines.text(i);
    if (URL_LINE.test(text)) continue;
    return text.slice(-80);
  }
  return '';
}

export function zhInfringingSpans(doc: NoticeText): Span[] {
  const listed = labelled(doc, INFRINGING_LABELS, { valueLines: 12 })
    .filter((l) => IDENTIFIES.test(l.value))
    .map((l) => l.span);
  const urls = zhFacts(doc, URL).filter((s) => {
    const before = lineBefore(doc, s);
    const after = doc.text.slice(s.end, s.end + 80);
    return !ORIGINAL_BEFORE.test(before) && (INFRINGING_BEFORE.test(before) || INFRINGING_AFTER.test(after));
  });
  return [...listed, ...urls];
}

const SEARCH_LABELS = '搜索关键词|搜索关键字|搜索词|关键词|关键字|检索词|搜索用语|搜索内容';
const QUOTED = '(?:“[^”\\n]{1,100}”|"[^"\\n]{1,100}"|「[^」\\n]{1,100}」|『[^』\\n]{1,100}』|《[^》\\n]{1,100}》)';
const SEARCH_PHRASES = [
  re(`(?:搜索|检索|搜)(?:关键词|关键字)?[ \\t]*${QUOTED}`, 'g'),
  re(`输入[ \\t]*${QUOTED}[^。\\n]{0,10}?(?:搜索|检索)`, 'g'),
  re(`(?:搜索|检索)(?:关键词|关键字|词)(?:为|是)[ \\t]*[^\\s。，,；\\n][^。，,；\\n]{0,60}`, 'g'),
  /(?:搜索|检索)[ \t]*[^\s“"「『《。，,；\n][^。，,；\n]{0,30}?[ \t]*(?:即可|就能|就可以|可以)(?:找到|看到|搜到|查到)/g,
];

export function zhSearchTermSpans(doc: NoticeText): Span[] {
  return [
    ...labelled(doc, SEARCH_LABELS, { anywhere: true }).map((l) => l.span),
    ...SEARCH_PHRASES.flatMap((r) => zhFacts(doc, r)),
  ];
}

const BELIEF =
  /(?:善意|诚意|真诚|诚信|有(?:充分|合理|足够)?(?:的)?理由)[^。\n]{0,10}?(?:地)?(?:相信|认为|确信|判断|认定)/;
const FIRST_PERSON_BELIEF = re(`${S}[^。\\n]{0,10}?(?:相信|确信|坚信|确认|认定)`);
const UNAUTHORISED =
  /未经[^。\n]{0,30}?(?:授权|许可|同意)|未(?:能)?(?:获|获得|取得|得到)[^。\n]{0,30}?(?:授权|许可|同意)|没有(?:获得|取得|得到)?[^。\n]{0,30}?(?:授权|许可)|不(?:被|为)?法律(?:所)?(?:允许|许可)|侵犯|侵权|盗版|非法/;

export function zhGoodFaithSpans(doc: NoticeText): Span[] {
  return zhStatements(
    doc,
    (t) => (BELIEF.test(t) || FIRST_PERSON_BELIEF.test(t)) && UNAUTHORISED.test(t) && !/不(?:相信|认为)/.test(t),
  );
}

/** The truthfulness statement: what is said is true, or an undertaking about its being untrue. */
const TRUTH = /真实|准确|属实|无误|不实|虚假|失实|如实|不符/;
const LIABILITY =
  /承担[^。\n]{0,20}?(?:责任|后果)|负[^。\n]{0,8}?责任|对[^。\n]{0,40}?(?:真实性|准确性|内容|信息|通知|说明)[^。\n]{0,6}?负责/;
const COMMITS = re(`${S}|保证|承诺|声明|确认|郑重|愿意|愿|自愿|同意`);

/**
 * Chinese notices' truthfulness statement with acceptance of legal responsibility (条例 第十四条: 权利人应当对通知书的
 * 真实性负责), which is the site's policy in place of 512(c)(3)(A)(vi)'s penalty of perjury. One sentence may carry
 * both halves, or a truthfulness sentence may be followed by the undertaking ("如有不实，愿承担法律责任").
 */
export function zhTruthfulnessSpans(doc: NoticeText): Span[] {
  const all = sentences(doc);
  const out: Span[] = [];
  all.forEach((s, i) => {
    const t = textOf(doc, s);
    if (!TRUTH.test(t) || !COMMITS.test(t) || !isSendersZh(doc, s)) return;
    if (LIABILITY.test(t)) {
      out.push(s);
      return;
    }
    const next = all[i + 1];
    if (!next || !adjacent(doc, s, next)) return;
    const n = textOf(doc, next);
    if (LIABILITY.test(n) && COMMITS.test(n) && isSendersZh(doc, next)) out.push({ start: s.start, end: next.end });
  });
  return out;
}

/** Two sentences of one paragraph: nothing but spaces and at most one line break between them. */
export function adjacent(doc: NoticeText, a: Span, b: Span): boolean {
  const gap = doc.text.slice(a.end, b.start);
  return gap.trim() === '' && (gap.match(/\n/g)?.length ?? 0) <= 1;
}

const SIGN_LABELS =
  '(?:权利人|代理人|通知人|投诉人|申请人|声明人|委托人|律师|公司|单位)[ \\t]*[（(][^）)\\n]{0,6}(?:签名|签字|签章|盖章)[^）)\\n]{0,6}[）)]|(?:权利人|代理人|通知人|投诉人|申请人|声明人|委托人|律师)?(?:签名|签字|签章|签署|盖章|签名\\s*[/／或、]\\s*盖章|签字\\s*[/／或、]\\s*盖章|签章\\s*[/／或、]\\s*日期)';
const SEALED =
  /[\u4e00-\u9fffA-Za-z（）()]{2,40}[ \t]*[（(【[][ \t]*(?:盖章|公章|签章|签名|签字|印章|章|已盖章)[ \t]*[）)】\]]/g;
const CLOSING =
  /^\s*(?:此致|特此(?:通知|函告|声明|告知)|谢谢(?:配合|合作|您|你们)?|感谢(?:配合|合作|您|贵方|你们)?|多谢|顺颂商祺|祝好)[！!。,，\s]*(?:敬礼[！!。]?)?\s*$/;
const SALUTE = /^\s*敬礼[！!。]?\s*$/;
const PERSON = /^[\u4e00-\u9fff·]{2,5}(?:\s*(?:律师|先生|女士|经理|总监|法务|代表))?$/;
const ORG =
  /^[\u4e00-\u9fffA-Za-z0-9（）()·&.,\s]{2,40}(?:公司|事务所|律所|工作室|集团|中心|协会|研究院|研究所|工作组|团队|法务部|知识产权部)(?:[\s（(]*(?:盖章|公章)[）)]?)?(?:\s+[\u4e00-\u9fff·]{2,5}(?:\s*律师)?)?$/;
const DATE =
  /^\s*(?:日期\s*:\s*)?(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日)\s*$/;

function isSignerLine(text: string): boolean {
  const t = text.trim();
  if (t === '' || t.includes(':') || t.length > 60) return false;
  return PERSON.test(t) || ORG.test(t) || /^[A-Z][\p{L}'.-]{0,30}(?:\s+[A-Z][\p{L}'.-]{0,30}){1,3}$/u.test(t);
}

export function zhSignatureSpans(doc: NoticeText): Span[] {
  const spans: Span[] = labelled(doc, SIGN_LABELS).map((l) => l.span);
  for (const s of zhFacts(doc, SEALED)) {
    const end = doc.lines.end(lineIndexAt(doc, s.end - 1));
    if (sealedBySigner(doc, s)) spans.push(/^\s*:/.test(doc.text.slice(s.end, end)) ? { ...s, end } : s);
  }
  const { lines } = doc;
  for (let index = 0; index < lines.length; index++) {
    const text = lines.text(index);
    if (!CLOSING.test(text) && !SALUTE.test(text)) continue;
    for (let i = index + 1, seen = 0; i < lines.length && seen < 4; i++) {
      if (lines.blank(i)) continue;
      seen++;
      const l = lines.text(i);
      if (SALUTE.test(l) || CLOSING.test(l)) continue;
      if (isSignerLine(l)) spans.push({ start: lines.start(index), end: lines.end(i) });
      break;
    }
  }
  spans.push(...signerAndDate(doc));
  return spans;
}

const ROLE_ONLY = /^(?:权利人|代理人|通知人|投诉人|申请人|声明人|委托人|单位|公司|签名|签字|日期|律师|[\s/／、或]+)+$/;

/** "某某科技有限公司（盖章）" signs; a template's "权利人（盖章）:" signs only when filled in. */
function sealedBySigner(doc: NoticeText, s: Span): boolean {
  const after = doc.text.slice(s.end, doc.lines.end(lineIndexAt(doc, s.end - 1)));
  if (/^\s*:/.test(after)) return !isPlaceholder(after.replace(/^\s*:/, ''));
  const name = textOf(doc, s).replace(/[ \t]*[（(【[][^）)】\]]*[）)】\]]$/, '');
  return !ROLE_ONLY.test(name) && !isPlaceholder(name);
}

/** The letter's foot: a signer's name or firm over the date (落款), as the last lines of the notice. */
function signerAndDate(doc: NoticeText): Span[] {
  const last: number[] = [];
  for (let i = doc.lines.length - 1; i >= 0 && last.length < 3; i--) if (!doc.lines.blank(i)) last.unshift(i);
  for (let k = 0; k + 1 < last.length; k++) {
    const signer = doc.lines.at(last[k]);
    const date = doc.lines.at(last[k + 1]);
    if (isSignerLine(signer.text) && DATE.test(date.text) && k + 1 === last.length - 1)
      return [{ start: signer.start, end: date.end }];
  }
  return [];
}
