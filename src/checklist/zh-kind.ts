import type { NoticeKind } from './kind';
import { NoticeText } from './text';
import { zhConsentSpans, zhMistakeSpans, zhNotInfringingSpans } from './zh-counter';
import { zhGoodFaithSpans, zhInfringingSpans, zhTruthfulnessSpans } from './zh-takedown';
import { SUBJECT } from './zh-text';

/** The notice calls itself a counter-notice; a takedown may mention one ("如被投诉人提交反通知，请告知我方"). */
const COUNTER = new RegExp(
  `^[\\s【]*(?:反通知|反通知书|反申诉|反申诉书)[\\s】]*$|本反通知|特此(?:提出|提交)?反通知|${SUBJECT}[^。\\n]{0,10}?(?:提出|提交|发出|作出)(?:以下|如下|本)?反通知`,
  'm',
);
const RESTORE =
  /(?:要求|请求|申请|希望|请|恳请|麻烦)[^。\n]{0,30}?(?<!勿|不要|不得|不再|禁止|避免|防止|无需)恢复|予以恢复|(?<!勿|不要|不得|不再|禁止|避免|防止|无需)恢复(?:链接|内容|上架|下载|访问|该|上述|被删除)/;
const RETRACTION = [
  /(?:撤回|撤销|撤消|收回|取消)(?:我方|本人|我司|本公司|我们|此前|之前|先前|前述|上述|该|此|本)?[^。\n，,]{0,20}?(?:通知|投诉|申请|请求|举报|删除要求|函)/,
  /(?:通知|投诉|请求|举报)[^。\n]{0,20}?(?:予以|现|即日起|现予|特此)?(?:撤回|撤销|作废|失效)/,
  /不再(?:要求|请求|需要)(?:贵方|你们|贵站|贵网站)?(?:删除|断开|下架|处理)/,
  /无需(?:再)?(?:删除|断开|下架|处理)/,
];
const REQUEST =
  /(?:请|要求|希望|麻烦|恳请|务必|尽快|立即|予以|请求|申请)[^。\n]{0,40}?(?:删除|断开|下架|移除|屏蔽|撤下|处理|停止传播|停止提供)|投诉|举报|通知书|侵权通知|删除通知/;
const COPYRIGHT =
  /侵权|盗版|版权|著作权|知识产权|未经(?:授权|许可|同意)|未获(?:得)?授权|破解|侵犯|非法(?:上传|传播|提供)/;
const OUR_WORK = new RegExp(
  `${SUBJECT}(?:的|开发的|自己的|公司的)[^。\\n，,]{0,10}?(?:软件|游戏|应用|程序|作品|插件|工具|字体|产品|客户端)|(?:你们|贵站|贵网站|贵方|贵平台)(?:的)?(?:网站|平台)?上`,
);
const URL = /https?:\/\//i;
const OWN_DATA = /账号|账户|帐号|个人信息|评论|订阅|邮件列表|注销/;

/** The kind of a Chinese notice, or 'other' when nothing Chinese decides it (the English rules then read it). */
export function detectZhKind(doc: NoticeText): NoticeKind {
  const text = doc.text;
  if (COUNTER.test(text) || zhMistakeSpans(doc, false).length > 0 || zhConsentSpans(doc).length > 0)
    return 'counter_notice';
  const takedownStatements = zhGoodFaithSpans(doc).length > 0 || zhTruthfulnessSpans(doc).length > 0;
  const restore = RESTORE.test(text);
  if (RETRACTION.some((r) => r.test(text)) && !zhNotInfringingSpans(doc).length) return 'retraction';
  if (restore && (zhNotInfringingSpans(doc).length > 0 || !takedownStatements)) return 'counter_notice';
  if (takedownStatements) return 'takedown';
  if (zhInfringingSpans(doc).length > 0 && COPYRIGHT.test(text)) return 'takedown';
  const asks = REQUEST.test(text);
  if (asks && (zhInfringingSpans(doc).length > 0 || URL.test(text) || COPYRIGHT.test(text) || OUR_WORK.test(text))) {
    if (OWN_DATA.test(text) && !COPYRIGHT.test(text)) return 'other';
    return 'takedown';
  }
  return 'other';
}
