import { detectLanguage } from './language';

describe('detectLanguage', () => {
  it.each([
    ['an English notice', 'I am the copyright owner of Example Game. It is copied at https://softhub.test/d/1.', 'en'],
    [
      'a Chinese notice with URLs and an address',
      '您好，我司是《星际矿工》的著作权人。贵站 https://softhub.test/download/starminer-2 未经许可提供下载，请予删除。联系邮箱 legal@example.cn',
      'zh-Hans',
    ],
    [
      'a Chinese notice naming an English company',
      '我们是 Example Games Ltd 的授权代理人，特此通知：贵站页面 https://softhub.test/a 侵犯了我方的信息网络传播权，请删除。',
      'zh-Hans',
    ],
    [
      'an English notice quoting a Chinese title',
      'We own the copyright in the game 星际矿工 (Star Miner). Please remove https://softhub.test/d/2, which copies it.',
      'en',
    ],
    ['Japanese, which mixes kana with kanji', 'このソフトウェアの著作権は当社にあります。削除してください。', 'en'],
    ['nothing but URLs', 'https://softhub.test/d/1 https://softhub.test/d/2', 'en'],
    ['an empty notice', '', 'en'],
  ])('reads %s', (_name, text, expected) => {
    expect(detectLanguage(text)).toBe(expected);
  });

  it('reads the structured fields too', () => {
    expect(
      detectLanguage(undefined, {
        complainant: { name: '张伟', company: '星际软件有限公司', address: '北京市海淀区中关村大街1号' },
        work: { description: '《星际矿工》游戏软件，本公司享有著作权' },
        signature: '张伟',
      }),
    ).toBe('zh-Hans');
    expect(
      detectLanguage(undefined, { complainant: { name: 'Jane Doe' }, work: { description: 'Example Game, a puzzle' } }),
    ).toBe('en');
  });

  it('reads a long notice by its opening part', () => {
    const chinese = '您好，我司是《星际矿工》的著作权人。贵站未经许可提供下载，请予删除。\n';
    const long = chinese.repeat(20_000) + 'Appendix in English. '.repeat(200_000);
    expect(long.length).toBeGreaterThan(1_000_000);
    expect(detectLanguage(long)).toBe('zh-Hans');
    expect(detectLanguage('Dear agent, we own this game.\n'.repeat(40_000) + chinese.repeat(40_000))).toBe('en');
  });

  it('never cuts a character in two at the sample edge', () => {
    expect(detectLanguage('𠀀'.repeat(40_000))).toBe('zh-Hans');
  });
});
