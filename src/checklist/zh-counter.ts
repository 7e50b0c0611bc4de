import { ElementName } from './elements';
import type { NoticeKind } from './kind';
import { NoticeText, Span } from './text';
import {
  adjacent,
  zhAuthoritySpans,
  zhContactSpans,
  zhGoodFaithSpans,
  zhInfringingSpans,
  zhSearchTermSpans,
  zhSignatureSpans,
  zhTruthfulnessSpans,
  zhWorkSpans,
} from './zh-takedown';
import { SUBJECT, labelled, sentences, textOf, zhFacts, zhStatements } from './zh-text';

const REMOVED_LABELS =
  '(?:被删除|被断开|被下架|被移除|被屏蔽|要求恢复|请求恢复|申请恢复|需(?:要)?恢复|恢复)(?:的)?(?:作品|内容|链接|网址|地址|文件|软件|页面)?(?:名称|地址|链接)?';
const REMOVED_TITLE = /《[^《》\n]{1,60}》/;
const REMOVED_CONTEXT = /恢复|删除|下架|断开|移除|屏蔽/;
const URL = /\bhttps?:\/\/[^\s<>"'\])）】，。；]{3,2000}/gi;

/** What was removed and where (条例 第十六条 (二): 要求恢复的作品的名称和网络地址). */
export function zhRemovedSpans(doc: NoticeText): Span[] {
  const titled = sentences(doc).filter((s) => {
    const t = textOf(doc, s);
    return REMOVED_TITLE.test(t) && REMOVED_CONTEXT.test(t);
  });
  return [...labelled(doc, REMOVED_LABELS, { valueLines: 12 }).map((l) => l.span), ...titled, ...zhFacts(doc, URL)];
}

/** The uploader's claim that the material does not infringe, or was removed by mistake. */
const NOT_INFRINGING =
  /不构成侵权|并不构成|不侵犯|未侵犯|没有侵犯|并未侵犯|不存在侵权|并非侵权|不属于侵权|不侵权|没有侵权|并未侵权|误删|错误(?:地)?删除|删除(?:有误|错误)|误判|错误(?:地)?(?:识别|认定)/;
/** Claims a takedown makes too ("本所已获得权利人授权"): they support a counter-notice but do not make one. */
const LICENSED =
  /拥有合法(?:的)?(?:授权|版权|著作权)|已(?:经)?(?:获得|取得)[^。\n]{0,30}?(?:授权|许可)|合法(?:授权|取得)|享有[^。\n]{0,20}?(?:著作权|版权)/;
const CLAIMANT = new RegExp(`${SUBJECT}|该(?:软件|作品|内容|文件|链接)|上述(?:软件|作品|内容|文件|链接)|被删除`);

/** Sentences claiming the material does not infringe; with `licensed`, also those claiming a licence or rights. */
export function zhNotInfringingSpans(doc: NoticeText, licensed = false): Span[] {
  return zhStatements(
    doc,
    (t) => (NOT_INFRINGING.test(t) || (licensed && LICENSED.test(t))) && CLAIMANT.test(t) && !/如果|若|是否/.test(t),
  );
}

/**
 * The counter-notice's statement (条例 第十六条): that the material does not infringe or was removed by mistake,
 * and, as the site's policy in place of 512(g)(3)(C)'s penalty of perjury, the truthfulness statement with
 * acceptance of legal responsibility (服务对象应当对书面说明的真实性负责). Both must be there; each is quoted.
 */
export function zhMistakeSpans(doc: NoticeText, licensed = true): Span[] {
  const claims = zhNotInfringingSpans(doc, licensed);
  const truth = zhTruthfulnessSpans(doc);
  if (claims.length === 0 || truth.length === 0) return [];
  const joined = claims.flatMap((c) =>
    truth.filter((t) => adjacent(doc, c, t)).map((t) => ({ start: c.start, end: t.end })),
  );
  return joined.length > 0 ? joined : [...claims.slice(0, 2), truth[0]];
}

const CONSENT = [
  /(?:同意|接受|愿意接受|服从)[^。\n]{0,40}?(?:法院|司法机关|联邦地区法院)[^。\n]{0,20}?管辖/,
  /(?:同意|接受|愿意接受)[^。\n]{0,30}?(?:送达|诉讼文书|法律文书|传票)/,
];

export function zhConsentSpans(doc: NoticeText): Span[] {
  return zhStatements(doc, (t) => CONSENT.some((r) => r.test(t)) && !/不(?:同意|接受)/.test(t));
}

const TAKEDOWN: Partial<Record<ElementName, (doc: NoticeText) => Span[]>> = {
  authority: zhAuthoritySpans,
  contact: zhContactSpans,
  work: zhWorkSpans,
  infringing_material: zhInfringingSpans,
  search_term: zhSearchTermSpans,
  good_faith: zhGoodFaithSpans,
  perjury: zhTruthfulnessSpans,
  signature: zhSignatureSpans,
};
const COUNTER: Partial<Record<ElementName, (doc: NoticeText) => Span[]>> = {
  signature: zhSignatureSpans,
  removed_material: zhRemovedSpans,
  mistake_statement: zhMistakeSpans,
  consent_jurisdiction: zhConsentSpans,
  contact: zhContactSpans,
};

/** The Chinese detector for an element of a kind's list, run beside the English one on Chinese notices. */
export function zhDetector(kind: NoticeKind, name: ElementName): ((doc: NoticeText) => Span[]) | undefined {
  return kind === 'counter_notice' ? COUNTER[name] : kind === 'takedown' ? TAKEDOWN[name] : undefined;
}
