import { Controller, Get, Header, Inject, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { type AppConfig, appConfig, type StrikeConfig, strikeConfig } from '../core/config';
import { chosenLocale, languageSwitch, localeFromAcceptLanguage } from '../core/i18n/locales';
import { TemplateRenderer } from '../core/templates/template-renderer';

/** The repeat-infringer policy as the strike ledger enforces it: its figures are the settings the ledger reads. */
export interface RepeatInfringerPolicy {
  threshold: number;
  expiryDays: number;
  /** What a strike is given for, what voids one, and who decides a termination: the ledger's rules, stated. */
  strikePer: 'notice_acted_on_per_account';
  voidedBy: ('retraction' | 'counter_notice_restoration' | 'staff_restoration' | 'upheld_complaint')[];
  terminationDecidedBy: 'staff';
  contestWithinMonths: number;
}

/** The public policy page (17 U.S.C. 512(i)(1)(A): adopted, reasonably implemented, and told to users). */
@Controller()
export class PolicyController {
  constructor(
    private readonly templates: TemplateRenderer,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(strikeConfig.KEY) private readonly strikes: StrikeConfig,
  ) {}

  @Get('policy/repeat-infringers')
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(@Req() req: Request, @Query('lang') lang: unknown): string {
    const locale = chosenLocale(lang, localeFromAcceptLanguage(req.headers['accept-language'], this.app.defaultLocale));
    return this.templates.page('repeat-infringer-policy', {
      site: this.app,
      policy: this.policy(),
      locale,
      languages: languageSwitch('/policy/repeat-infringers', locale),
    });
  }

  @Get('api/v1/policy/repeat-infringers')
  json(): RepeatInfringerPolicy {
    return this.policy();
  }

  private policy(): RepeatInfringerPolicy {
    return {
      threshold: this.strikes.threshold,
      expiryDays: this.strikes.expiryDays,
      strikePer: 'notice_acted_on_per_account',
      voidedBy: ['retraction', 'counter_notice_restoration', 'staff_restoration', 'upheld_complaint'],
      terminationDecidedBy: 'staff',
      contestWithinMonths: 6,
    };
  }
}
