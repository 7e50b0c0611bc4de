import { answerSpan, answeredPrompts, onPromptAt } from './form';
import { facts, perText, statements, statementsAt } from './spans';
import { NoticeText, Span, lineIndexAt, matchAll } from './text';

const AUTHORITY = [
  /\b(?:I|we)(?:\s*\([^)\n]{1,60}\))?(?:\s+[A-Z][\w-]{1,30})?(?:,\s*[^,\n]{1,40},)?\s+(?:am|are|'m)\s+(?:also\s+)?(?:the\s+|an?\s+)?(?:sole\s+|exclusive\s+|legal\s+|original\s+|rightful\s+|registered\s+)?(?:copyright\s+|rights\s+|exclusive\s+rights?\s+)?(?:owner|holder|author|creator|licensor|proprietor)s?\b/gi,
  /\b(?:am|are|is|'m)\s+(?:an?\s+|the\s+)?(?:duly\s+|legally\s+)?authori[sz]ed\s+(?:agent\s+|representative\s+)?(?:to\s+(?:act|represent|submit|file)|for|of|on)\b/gi,
  /\bagent\s+authori[sz]ed\b/gi,
  /\b(?:I|we)\s+(?:am|are)\s+(?:an?\s+|the\s+)?authori[sz]ed\s+(?:agent|representative)\b/gi,
  /\b(?:writing|write|act(?:ing)?|submit(?:ting)?|writ\w*|contact(?:ing)?|reaching\s+out|send(?:ing)?|fil(?:e|ing)|request(?:ing)?)\s+(?:to\s+you\s+|you\s+)?on\s+behalf\s+of\b/gi,
  /\b(?:I|we)\s+(?:currently\s+|hereby\s+|legally\s+)?represent\b/gi,
  /\brepresent(?:ing|s)?\s+(?:the\s+)?(?:copyright\s+)?(?:owner|rights?\s*holder)/gi,
  /\b(?:as|is)\s+(?:an?\s+)?agent\s+(?:for|of)\b/gi,
  /\b(?:outside|legal|in-house)\s+counsel\b/gi,
  /\b(?:my|our)\s+(?:own\s+)?(?:copyrighted|copyright(?:ed)?|proprietary|intellectual\s+property|IP)\b/g,
  /\b(?:My|Our)\s+(?:own\s+)?(?:copyrighted|copyright(?:ed)?|proprietary|intellectual\s+property)\b/g,
  /\b(?:is|are)\s+the\s+(?:sole\s+|exclusive\s+|registered\s+)?(?:copyright\s+|rights\s+)?(?:owner|holder|licensor)s?\b/gi,
  /\b(?:copyright\s+(?:owner|holder)|rights\s+holder)s?\s*(?:is|:)\s*\S/gi,
  /\bowns?\s+(?:the\s+)?(?:copyright|source|rights|all\s+rights|exclusive)/gi,
  /\b(?:I|we|(?:my|our)\s+(?:company|firm|studio|client|organi[sz]ation))\s+(?:legally\s+|solely\s+)?owns?\b/gi,
  // An agency for its client: "premium content that is created and copyrighted by our client".
  /\b(?:owned|copyrighted|created|authored|developed)\s+(?:and\s+(?:owned|copyrighted)\s+)?by\s+(?:our|my)\s+clients?\b/gi,
  /\b(?:I|we)\s+(?:alone\s+|solely\s+|personally\s+)?(?:wrote|created|authored|developed|designed)\s+(?:it|this|them|the\b|this\b|alone|myself|ourselves|over|from\s+scratch)/gi,
  /\bwhich\s+(?:I|we)\s+(?:alone\s+)?(?:wrote|created|authored|developed|designed)\b/gi,
  /\b(?:I|we)\s+hold\s+(?:all\s+|the\s+)?(?:exclusive\s+)?(?:rights|copyrights?)\b/gi,
  /\bas\s+(?:the\s+)?(?:owner|author|creator|copyright\s+holder)\b/gi,
  /\band\s+(?:the\s+)?copyright\s+(?:owner|holder)\b/gi,
  /\bassigned\s+to\s+(?:me|us)\b/gi,
  /\bsuccessor\s+(?:in\s+interest\s+)?to\b/gi,
  /\b(?:I\s+am|as)\s+(?:the\s+)?\[private\](?:\s+and\s+\[private\])?\s+(?:of|for|at)\b/gi,
  // Ownership in the passive, by the sender: "... are all owned by the company", "is owned by us".
  /\b(?:is|are|was|were)\s+(?:all\s+|solely\s+|wholly\s+|exclusively\s+|fully\s+)?owned\s+by\s+(?:us|me|(?:the|our|my)\s+(?:company|firm|studio|employer|client|organi[sz]ation))\b/gi,
];
// "Northwind Games owns the game ...": found from "owns", then widened back over the owner's name (up to four words)
// in a bounded window, so that the name is not tried as a start at every word of the text.
const OWNS =
  /\bowns\s+(?:the\s+)?(?:[\w-]{1,30}\s+){0,2}?(?:game|software|app|program|font|typeface|book|code|work|product|title|plugin|theme|template|music|film|video|images?|photos?)\b/gi;
const OWNER_BEFORE = /\b[A-Z][\w&.-]{0,40}(?:[ \t]{1,8}[A-Z][\w&.-]{0,40}){0,3}[ \t]{1,8}$/i;
const OWNER_REACH = 200;

const AUTHORITY_QUESTION =
  /(?:are\s+you|is\s+the\s+sender)\s+the\s+copyright\s+(?:owner|holder)|authori[sz]ed\s+to\s+act\s+on\s+the\s+copyright\s+owner/i;
const YES = /^\W{0,4}(?:\S{1,3}\s*)?(?:yes|y|correct|true|authori[sz]ed|i\s+am|we\s+are|it'?s\s+me)\b/i;

const GOOD_FAITH = /\bgood[\s\u2010\u2011-]{1,3}faith\b/gi;
// The same belief in other words: "I firmly believe that the use ... is not authorized", "I declare that to the best
// of my knowledge that use of the copyrighted materials ... is not authorized".
const BELIEF =
  /\b(?:I|we)\s+(?:firmly|sincerely|honestly|genuinely|reasonably)\s+believe\b|\bto\s+the\s+best\s+of\s+(?:my|our)\s+knowledge,?\s+(?:that\s+)?(?:the\s+)?use\b/gi;
// "with the reasonable belief that rights my company owns are being infringed", "a bona fide belief that": found from
// "belief" and its adjective read back, so that the adjectives are not tried at every word.
const A_BELIEF = /\bbelief\b/gi;
const BELIEF_ADJECTIVE = /\b(?:reasonable|honest|sincere|genuine|firm|bona[\s-]fide)\s+$/i;
const BELIEF_ADJECTIVE_REACH = 16;
// A plain belief about the use itself, the sender's own: "I believe that the accused use was not authorized by the
// copyright owner, their agent, or the law", "I have taken fair-use considerations into account and believe this use
// is not permitted". Only a belief about the use: "I believe that all of the forks are infringing" is not one.
// Found from "believe", then widened back to its subject in a bounded window (as OWNS is), so that the subject is
// not tried at every "I" and "we" of the text.
const USE_BELIEF = /\bbelieve\s+(?:that\s+)?(?:the|this|such|that|their|its|any)\s+(?:[\w-]{1,30}\s+){0,2}?use\b/gi;
const BELIEVER_BEFORE = /\b(?:I|we)\b(?:(?!\byou\b)[^.\n?]){0,80}$/i;
const BELIEVER_REACH = 80;
const URL_ONLY = /^\s{0,8}(?:URLs?\s{0,4}:?\s{0,4})?https?:\/\/\S{1,400}\s{0,8}$/i;
const ABOUT_ACCURACY =
  /^\s*(?:&\s*)?(?:\w{1,10}\s*)?(?:that\s+)?(?:the\s+|this\s+)?(?:information|statements?|notice|notification|facts|details)\b/i;
const UNAUTHORISED =
  /not\s+(?:been\s+)?(?:authori[sz]ed|licensed|permitted)|\bnone\b[^.\n]{0,100}?\b(?:has|have)\s+been\s+(?:authori[sz]ed|licensed|permitted)|unauthori[sz]ed|without\s+(?:the\s+|our\s+|my\s+|its\s+|their\s+|his\s+|her\s+|any\s+|the\s+owner's\s+)?(?:(?:express|written|prior)\s+)?(?:authori|permission|consent|licen)|infring|not\s+(?:a\s+)?fair\s+use|circumvent/i;
// The statute's belief asserted outright, by the sender: "You are using my client's original work ... in a manner that
// was not authorized by the owner of the copyright, its agents, or the law." Read only where no belief is stated, and
// only beside the sender's own good faith ("I certify ... that I have a good faith belief that the information ...").
const NOT_AUTHORISED_BY_ALL =
  /\bnot\s+(?:been\s+)?authori[sz]ed\s+by\s+(?:the\s+)?(?:copyright\s+)?(?:owner|holder|rights\s*holder)s?(?:\s+of\s+the\s+copyright)?,?\s+(?:or\s+)?(?:its|their|his|her|the\s+owner's)\s+agents?,?\s+or\s+(?:by\s+)?(?:the\s+)?law\b/gi;
const PERJURY = /\bpenalt(?:y|ies)\s+of\s+perjury\b/gi;

const WORK = [
  /\b(?:the\s+)?(?:original|copyrighted|infringed|protected|copyright)\s+(?:copyrighted\s+)?(?:work|material)s?(?:\s+(?:at\s+issue|in\s+question|concerned))?(?:\s+(?:is|are|was|were|can\s+be\s+found|includes?|consists?)\s|\s*:\s*\S)/gi,
  /\bcopyrighted\s+(?:[A-Z][\w-]{0,30}\s+){1,3}(?:document|work|book|software|code|game|image|photo|font|song|video|article|material|program)s?\b/g,
  /\bowns\s+(?:the\s+)?(?:[\w-]{1,30}\s+){0,2}?(?:code|software|work|book|game|font|rights|copyright)\b/gi,
  /\b(?:program|software|application|app|game|book|font|plugin|product|tool|library|work|song|film|album|code)\s+(?:called|named|entitled|titled)\b/gi,
  /\bworks?\s+(?:that\s+(?:has|have)\s+been\s+|being\s+)?infringed\s*:\s*\S/gi,
  /\b(?:proprietary\s+and\s+confidential|confidential\s+and\s+proprietary)\b/gi,
  /\b(?:of|to|our|my|its|their)\s+copyrighted\s+(?:[\w-]{1,30}\s+){0,2}?(?:code|software|source\s+code|documents?|books?|images?|photos?|videos?|music|questions|text|articles?)\b/gi,
  /\bcopyrighted\s+(?:material|work)s?\s+being\s+infringed\s*:\s*\S/gi,
  /\b(?:my|our|its|his|her|their|company's|owner's)\s+(?:own\s+)?(?:[\w-]{1,30}\s+){0,3}?(?:copyrighted|copyright|proprietary|original|confidential|licensed|premium|paid|unpublished|commercial)\s+(?:[\w-]{1,30}\s+){0,3}?(?:work|code|codes|software|source|game|book|font|typeface|material|content|asset|application|app|plugin|images?|photos?|music|song|theme|template|data|repo|repository|project|product|files?|codebase|website|design|extension|module|information)s?\b/gi,
  /\b(?:unauthori[sz]ed|literal|exact|cloned|pirated|illegal|leaked|copyrighted|cracked)\s+(?:cop(?:y|ies)|version|edition|build)\s+of\b/gi,
  /\bcop(?:y|ies)\s+of\s+(?:the\s+|our\s+|my\s+)?(?:private|proprietary|confidential|internal|closed[\s-]source|commercial)\s+(?:[\w-]{1,30}\s+){0,2}?(?:code|software|source|files?|materials?|documents?)\b/gi,
  /\bthe\s+(?:(?:copyright(?:ed)?[\s-]protected|copyrighted|original)\s+)?(?:works?|materials?|content|code|files?)\s+(?:at\s+issue|in\s+question)\s+(?:is|are|was|were|includes?)\b/gi,
  // Whose it is: "confidential and proprietary to Qualcomm", "proprietary information that belongs to BMO".
  /\bproprietary\s+to\s+(?:the\s+)?[A-Z]/g,
  /\b(?:proprietary\s+|confidential\s+|source\s+)?(?:information|code|data|content|materials?|documents?|software|files?)\s+(?:that\s+|which\s+)?belongs?\s+to\s+(?!(?:the\s+)?(?:user|uploader|infringer|public)\b)/gi,
  /\b(?:copyright\s+)?reg(?:istration|\.)\s*(?:nos?\.?|numbers?|#)\s*[:.]?\s*[A-Z]{0,3}\s?\d/gi,
  /\bcopyright\s*#\s*[A-Z]{0,3}\d/gi,
  /\bISBN(?:-1[03])?\s*:?\s*[\d-]{10}/gi,
  /\b(?:owner|author|creator|developer|holder|licensor)\s+of\s+(?:the\s+)?(?:[\w"'-]{1,30}\s+){0,4}?(?:plugin|software|game|app|application|library|font|typeface|book|theme|template|asset|code|project|website|source)\b/gi,
  /\b(?:is|was)\s+an?\s+(?:[\w-]{1,30}[\s,]+){0,5}?(?:database|software|game|app|application|library|font|typeface|book|theme|template|plugin|asset|product|program|platform|suite|repo|repository|tool|project)\b/gi,
  /\bcopyrighted\s+(?:works?|content|materials?)\s+(?:related\s+to|of|from|including|owned)\b/gi,
  /\b(?:owned|created|developed|written|authored|published|designed|made|produced)(?:\s+and\s+(?:owned|created|developed|written|published|produced|maintained|sold))?\s+(?:solely\s+|exclusively\s+|wholly\s+)?(?:by|at)\s+(?:the\s+)?(?:[A-Z][\w&-]{0,40}(?:[ \t]+[A-Z][\w&-]{0,40}){0,3}|me\b|us\b|\[private\]|(?:our|my)\s+(?:company|firm|studio|team|organi[sz]ation)\b)/g,
  /\b(?:I|we)\s+(?:created|wrote|developed|designed|authored|made)\b/gi,
  /\b(?:[Mm]y|[Oo]ur)\s+(?:[\w'.-]{1,30}\s+){0,3}?(?:repo|repository|project|source\s+codes?|code|software|app|application|game|work|book|font|typeface|plugin|product|website|codebase|images?|photos?|IP|mod|script|theme|template|tool|program|course|video|album|film|movie|e-?book|title|extension|module)s?\b(?:,?\s+(?:called\s+|named\s+)?(?:"[^"\n]{1,60}"|'[^'\n]{1,60}'|[A-Z0-9][\w+-]*(?:\.\d[\w+-]*)*(?:[ \t]+[A-Z0-9][\w+-]*(?:\.\d[\w+-]*)*){0,4}))?/g,
  // A title in quotes after the kind of work, or after "copy of": "a cracked copy of "Photo Magic Pro"".
  /\b(?:game|software|app|application|program|product|plugin|tool|font|typeface|book|e-?book|novel|photo|photograph|picture|image|illustration|artwork|theme|template|mod|library|course|video|album|song|film|movie|script|cop(?:y|ies)\s+of|version\s+of|crack\s+(?:of|for))\s+(?:is\s+|was\s+|titled\s+|entitled\s+)?(?:the\s+|our\s+|my\s+)?(?:"[^"\n]{2,60}"|'[^'\n]{2,60}')/gi,
  // The product beside its owner: "ZipMaster 9 (by Northwind Software)", "the typeface Quillon", "products of our company".
  /\b[A-Z][\w+-]*(?:\.\d[\w+-]*)*(?:[ \t]+[A-Z0-9][\w+-]*(?:\.\d[\w+-]*)*){0,4}\s+\(?(?:by|from|of)\s+[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,3}\s+(?:Software|Games?|Studios?|Inc\.?|Ltd\.?|LLC|GmbH|Corp(?:oration)?\.?|Co\.|Media|Labs?|Fonts?|Apps?|Entertainment|Publishing|Interactive)\)?/g,
  /\bthe\s+(?:game|software|app|application|program|product|plugin|tool|font|typeface|book|theme|template|mod|library)\s+[A-Z][\w+-]*(?:\.\d[\w+-]*)*(?:[ \t]+[A-Z0-9][\w+-]*(?:\.\d[\w+-]*)*){0,4}/g,
  /\bproducts?\s+of\s+(?:our|my)\s+(?:company|studio|firm)\b[^.\n]{0,80}/gi,
  /\b(?:titles?|works?|products?|books?|games?|programs?|applications?|content)\s+\(?(?:listed|identified|named|described|specified)\s+(?:below|above|herein|in\s+(?:the\s+)?(?:attached|following|exhibit|schedule|annex))/gi,
  /\bthe\s+following\s+(?:copyrighted\s+)?(?:products?|titles?|works?|books?|games?|software|programs?|programmes?|films?|shows?|episodes?|content)(?:\(s\))?/gi,
  /\b(?:it|this|that)\s+(?:is|was)\s+an?\s+(?:[\w-]{1,30}\s+){0,3}?(?:blog\s+post|post|article|essay|tutorial|photo(?:graph)?|video|illustration|drawing|course|lecture)\b[^.\n]{0,80}/gi,
  /\b(?:source\s+|delivery\s+|proprietary\s+|production\s+)?code\s+(?:of|belonging\s+to)\s+(?:the\s+)?(?:[A-Z][\w-]*(?:[ \t]+[A-Z][\w-]*){0,3}|[a-z][\w-]{0,40}\.[a-z]{2,6}\b)/g,
  /\bidentification\s+of\s+(?:the\s+)?(?:copyrighted\s+|original\s+)?works?(?:\(s\))?(?:\s+(?:claimed\s+to\s+(?:be|have\s+been)\s+)?infringed)?[ \t]*(?::[ \t]*(?:\n[ \t]*)?|\n[ \t]*)(?!\d{1,2}[.)]\s|\[)\S[^\n]{0,120}/gi,
  /\bcopyrighted\s+(?:works?|content|materials?)\s+(?:licensed|belonging|published|produced|distributed|developed)\s+(?:by|to)\b/gi,
  // The original's location under a label: "Original content: https://...", "Original work URL:".
  // What the sender makes and sells: "ParadoxLabs develops, maintains and sells an extension for ...".
  /\b(?:develops|sells|publishes|produces|distributes|markets|licenses|makes)\b[^.\n]{0,40}?\b(?:an?|the|our)\s+(?:[\w-]{1,30}\s+){0,3}?(?:extension|plugin|software|app|application|game|font|typeface|theme|template|module|library|product|tool|program|book|add-?on)s?\b/gi,
  /\boriginal\s+(?:work|content|code|source(?:\s+code)?|repo(?:sitory)?|project|product|software|files?|site|website|page|version)s?(?:\s+(?:url|link|location|is\s+(?:at|here)|can\s+be\s+found(?:\s+at)?|(?:is\s+)?available\s+at|is\s+located\s+at))?\s*:?\s*(?:\n\s*)?https?:\/\/\S+/gi,
  // Where the original is, even when its address is redacted: "The original SOURCE CODE, to which we own the
  // exclusive copyrights, can be found at: [private]", "The original copyrighted content is/was posted online at:".
  /\boriginal\s+(?:copyrighted\s+)?(?:work|content|code|source(?:\s+code)?|repo(?:sitory)?|project|product|software|files?|website|videos?|book|game|app)s?\b[^.\n]{0,80}?\b(?:can\s+be\s+(?:found|seen|viewed|accessed)|(?:is|was|are|were)(?:\/(?:is|was))?\s+(?:posted|published|available|located|hosted))\b/gi,
  /\b[A-Z][\w&-]{1,40}(?:[ \t]+[A-Z][\w&-]{1,40}){0,2}[ \t]+Intellectual[ \t]+Property\b(?![ \t]+(?:Rights?|Organi[sz]ation|Office|Code|Law|Act|Protection))/g,
  // A product by its maker's acronym: "NXP software", "LUA source code".
  /\b(?!(?:DMCA|URLS?|HTTPS?|WWW|ID|IP|PDF|API|HTML|CSS|JSON|XML|TV)\b)[A-Z][A-Z\d]{1,10}[ \t]+(?:software|source\s+code|code|SDK|firmware|framework|content)\b/g,
  // What kind of code, told by its nature: "proprietary company code", "internal non-public source code",
  // "proprietary Connections font".
  /\b(?:proprietary|confidential|internal|non-public|closed[\s-]source)\s+(?:[\w-]{1,30}\s+){0,2}?(?:source\s+codes?|codes?|codebase|software|fonts?|typefaces?|business\s+logic|scripts?|firmware|SDKs?|modules?|applications?|apps?)\b/gi,
  // A copyright claimed for the material itself: "This code is copyright (c) Internet Business Solutions SL", "The
  // original work is copyright ALL RIGHTS RESERVED", "This code is copyrighted to Woodside".
  /\b(?:code|software|source\s+code|work|content|material|files?|program|game|book|font|text|videos?)\s+(?:is|are|was|were)\s+(?:the\s+)?(?:copyright(?:ed)?\b|protected\s+by\s+copyright|(?:exclusive\s+|intellectual\s+)?property\s+of\b)/gi,
  // Files known by the owner's notice in them: "many contain our copyright notice", "files which still include
  // Broadcom's copyright notice".
  /\b(?:contains?|containing|bears?|bearing|includes?|including|carr(?:y|ies|ying)|has|have|having)\s+(?:still\s+)?(?:our|my|[A-Z][\w&.-]{0,40}(?:'s|'))\s+(?:[\w-]{1,30}\s+)?copyright\s+(?:notices?|headers?|statements?|lines?)\b/gi,
  // What the sender's company makes: "Our company created a Repository called NDCollector", "Our company now has a
  // project that is still under development".
  /\b(?:our|my)\s+(?:company|firm|studio|team|organi[sz]ation)\s+(?:\w{1,12}\s+)?(?:has|have|had|created|developed|built|made|owns?|wrote)\s+(?:an?\s+|the\s+)?(?:[\w-]{1,30}\s+){0,3}?(?:repo(?:sitory)?|project|software|app|application|game|product|platform|system|tool|library|plugin|module)s?\b/gi,
  // The kind of work with a capital: "My Theme", "our forked Repository".
  /\b(?:[Mm]y|[Oo]ur)\s+(?:[\w'.-]{1,30}\s+){0,3}?(?:Repo|Repository|Project|Software|Theme|Game|App|Application|Plugin|Product|Code|Website|Book|Font|Template|Module|Extension)s?\b/g,
  // A right held in the work: "I own full rights to these videos", "I own the copyright to all of the code".
  /\b(?:I|we|\[private\])\s+own\s+(?:the\s+|all\s+|full\s+|exclusive\s+)*(?:copyrights?|rights)\s+(?:to|in|of)\s+(?:[\w-]{1,30}\s+){0,4}?(?:code|software|videos?|films?|photos?|images?|books?|music|songs?|content|works?|games?|apps?|fonts?|repo(?:sitory)?|project)s?\b/gi,
  // A test, a task or questions the sender owns: "a copyrighted test task used to evaluate programmers".
  /\ban?\s+copyrighted\s+(?:[\w-]{1,30}\s+){0,2}?(?:test|task|exam|questions?|assessment|course|curriculum|text|document|manual|design|template|dataset|database)s?\b/gi,
  // Broadcast works: "TV Content 'SCTV FTA Channel'", "their television channels", "the motion pictures and/or TV
  // series listed below", "audio-visual footage".
  /\b(?:TV|television)\s+(?:content|channels?|shows?|series|programmes?|programs?|broadcasts?|footage)\b[^.\n]{0,80}/gi,
  /\baudio[\s-]?visual\s+(?:footage|content)\b[^.\n]{0,80}/gi,
  // Labels that name the work: "Infringed Content(s): My Theme: https://...", "Content Type: LUA source code library",
  // "The infringing items are the works of: SketchUp Pro 2026", "Infringing Work: Learn Python 3 the Hard Way".
  /\b(?:copyright(?:ed)?\s+)?infringed\s+(?:content|works?|materials?|products?|titles?)(?:\(s\))?[ \t]*:[ \t]*(?:\n[ \t]*){0,2}[^\s[][^\n]{0,120}/gi,
  /\bContent\s+Type[ \t]*:[ \t]*(?:\n[ \t]*){0,2}[^\s[][^\n]{0,120}/gi,
  /\bworks?\s+of[ \t]*:[ \t]*(?:\n[ \t]*)?[^\s[][^\n]{0,120}/gi,
  /\binfringing\s+work[ \t]*:[ \t]*(?!https?:)[^\s[][^\n]{0,120}/gi,
  // A title with its author or publisher on the next line: "TITLE: Circuiti elettrici / AUTHOR: Renzo Perfetti".
  /\btitle[ \t]*:[ \t]*[^\s[][^\n]{0,120}\n(?:[ \t]*\n)?[ \t]*(?:author|publisher|isbn|artist|developer)[ \t]*:/gi,
  // A kind of work and, in the same clause, its title in quotes: "The system code and configuration information
  // related to the "Dexiang Zhipei Ningbo Bank Forum Management Terminal" of Ningbo Bank".
  /\b(?:code|software|app|application|program|system|platform|product|game|plugin|library|SDK)\b[^.\n"()]{0,60}?"[^"\n]{2,80}"/gi,
];
// The work under a defined name, read back to its sentence's start: "A representative list of such content has been
// included as Appendix 1 ("Infringed Content")", "production content relating to the Matches ("Copyrighted Content")".
const DEFINED_WORK =
  /\((?:the\s+|hereinafter\s+|collectively,?\s+)?"(?:Infringed|Copyrighted|Protected|Original)\s+(?:Content|Works?|Materials?|Properties|Titles?)"\)/gi;
// Whose it is, by name: "Medidata Solutions Inc.'s copyrighted [PRIVATE] code", "MathWorks' MATLAB(r) computer
// program", "Apple's "iBoot" source code", "Baidu's proprietary information". Found from the owner's possessive, then
// read forward in a bounded window for the kind of work, so that the kind is not tried at every word of the text.
const POSSESSIVE = /\b[A-Z][\w&.-]{0,40}(?:[ \t]+[A-Z][\w&.-]{0,40}){0,3}(?:'s|')(?=[ \t])/g;
const KIND_AFTER =
  /[ \t]+(?:(?:"[^"\n]{1,40}"|\[private\]|[\w()-]{1,30})\s+){0,4}?(?:source\s+codes?|codes?|codebase|software|computer\s+programs?|programs?|frameworks?|SDKs?|firmware|apps?|applications?|games?|fonts?|books?|platforms?|engines?|librar(?:y|ies)|(?:proprietary|confidential)\s+information|intellectual\s+property(?!\s+rights)|products?|websites?)\b/iy;
/** Possessors that do not make the thing the sender's work: the reader's, the site's own. */
const NOT_AN_OWNER = /^(?:Your|You|GitHub|Github|It|Its|Their|His|Her)\b/;

const WORK_PROMPT =
  /description\s+of\s+the\s+original|what\s+work\s+(?:was|is|has\s+been)\s+(?:allegedly\s+)?infringed|original\s+(?:copyrighted\s+)?work|identify\s+the\s+copyrighted\s+work|copyrighted\s+work\s+(?:you\s+believe|that\s+has)|work\s+(?:that\s+has\s+been\s+)?infringed|infringed\s+(?:works?|content|materials?)/i;
const EXCLUDED_HOST =
  /^https?:\/\/(?:[\w-]+\.)*(?:github\.com|githubusercontent\.com|github\.io|githubassets\.com|lumendatabase\.org|npmjs\.com)\b/i;
// A sentence's full stop or comma after a URL is not part of it.
const URL = /\bhttps?:\/\/[^\s<>"'\])]{2,1999}[^\s<>"'\]).,;:!?]/gi;

// A profile identifies a user, not material; licence and terms pages are cited, not infringing.
const GITHUB_PROFILE = /^https?:\/\/(?:www\.)?github\.com(?:\/[\w.-]+)?\/?$/i;
const NOT_INFRINGING_URL = /licen[cs]e|terms|policy|legal|dmca/i;
const ORIGINAL_CONTEXT =
  /(?:original|official|private\s+repo|work\s+(?:that\s+has\s+been\s+)?infringed|taken\s+(?:directly\s+)?from|copied\s+from|from\s+(?:my|our))[^\n]{0,60}$/i;
/** An answer that actually identifies material: a URL, a path or a file name. */
// Each word is tried from its start only (the lookbehinds): "[\w-]+\/" tried at every letter of a long word is quadratic.
const IDENTIFIES = /https?:\/\/|(?<![\w-])[\w-]+\/[\w.-]+|(?<![\w-])[\w-]+\.[a-z]{1,5}\b/i;
const INFRINGING_CONTEXT =
  /infring|remove|take\s*down|taken\s+down|disable|unauthori[sz]ed|pirat|cop(?:y|ies)\s+(?:of|at)|stolen|leaked|(?:upload|post|host|shar|distribut|offer)(?:ed|ing|s)?\b[^\n]{0,40}\b(?:at|on|to|in|here)\s*:?\s*$|\b(?:cop(?:y|ies)|crack|keygen|serial)\s+(?:is\s+|are\s+)?(?:at|on|here)\s*:?\s*$|\byour\s+(?:site|website|page|server|service|platform|portal)\s*:?\s*$/i;
/** What the sender says of a URL after it: "https://... is a cracked copy of", "... offers a keygen", "... must come down". */
const INFRINGING_AFTER =
  /^[^\s.]*[.,]?\s+(?:(?:is|are|has|have|offers?|contains?|hosts?|provides?|distributes?)\b[^.\n]{0,50}\b(?:crack|keygen|serial|cop(?:y|ies)|pirat|illegal|unauthori[sz]ed|infring|without\s+(?:our\s+|my\s+)?(?:permission|consent|licen))|(?:must|should)\s+(?:come|be\s+(?:taken|brought))\s+(?:down|offline)|(?:must|should)\s+be\s+(?:removed|deleted|disabled))/i;
const INFRINGING_PROMPT =
  /files?\s+should\s+be\s+taken\s+down|specific\s+file\s+urls?|identify\s+the\s+material|material\s+that\s+you\s+allege|entire\s+repository\s+is\s+infringing/i;
const GITHUB_HOST = /^https?:\/\/(?:[\w-]+\.)*(?:github\.com|githubusercontent\.com|github\.io|npmjs\.com)\b/i;

export function authoritySpans(doc: NoticeText): Span[] {
  const answered = answeredPrompts(doc, AUTHORITY_QUESTION)
    .filter(({ answer }) => YES.test(answer[0].text))
    .map(({ prompt, answer }) => ({ start: prompt.start, end: answerSpan(answer)?.end ?? prompt.end }));
  const owns = matchAll(doc.text, OWNS).map((span) => {
    const from = Math.max(0, span.start - OWNER_REACH);
    const name = OWNER_BEFORE.exec(doc.text.slice(from, span.start));
    return name ? { start: from + name.index, end: span.end } : span;
  });
  return [
    ...answered,
    ...AUTHORITY.flatMap((re) => statements(doc, re, (s) => !onPrompt(doc, s))),
    ...statementsAt(doc, owns, (s) => !onPrompt(doc, s)),
  ];
}

export function goodFaithSpans(doc: NoticeText): Span[] {
  const believes = (s: Span): boolean => {
    const clause = goodFaithClause(doc.text.slice(s.end, s.end + 400));
    if (!UNAUTHORISED.test(clause)) return false;
    // "a good faith belief that the information is correct and that the use ... is not authorized"
    if (!ABOUT_ACCURACY.test(clause)) return true;
    const and = /\band\s+(?:that\s+)?(?:the\s+)?(?:use|material|page|content|work|title)/i.exec(clause);
    return and !== null && UNAUTHORISED.test(clause.slice(and.index));
  };
  const stated = [
    ...statements(doc, GOOD_FAITH, believes),
    ...statements(doc, BELIEF, believes),
    ...statementsAt(doc, adjectiveBeliefs(doc), believes),
    ...statementsAt(doc, useBeliefs(doc), believes),
  ];
  if (stated.length > 0) return stated;
  // The belief in two parts: the sender's good faith, vouched for the notice, and the use asserted unauthorised.
  const vouched = statements(doc, GOOD_FAITH);
  if (vouched.length === 0) return [];
  const asserted = statements(doc, NOT_AUTHORISED_BY_ALL).map((s) => fromSentenceStart(doc, s));
  return asserted.length > 0 ? [...asserted, ...vouched] : [];
}

/** "a reasonable belief", "a bona fide belief": from the adjective. */
function adjectiveBeliefs(doc: NoticeText): Span[] {
  const found: Span[] = [];
  for (const span of matchAll(doc.text, A_BELIEF)) {
    const from = Math.max(0, span.start - BELIEF_ADJECTIVE_REACH);
    const adjective = BELIEF_ADJECTIVE.exec(doc.text.slice(from, span.start));
    if (adjective) found.push({ start: from + adjective.index, end: span.end });
  }
  return found;
}

/** "believe that the use ...", with the sender ("I", "we") as its subject, widened back to that subject. */
function useBeliefs(doc: NoticeText): Span[] {
  const found: Span[] = [];
  for (const span of matchAll(doc.text, USE_BELIEF)) {
    const from = Math.max(0, span.start - BELIEVER_REACH);
    const subject = BELIEVER_BEFORE.exec(doc.text.slice(from, span.start));
    if (subject) found.push({ start: from + subject.index, end: span.end });
  }
  return found;
}

/** A span widened back to the start of its sentence (bounded, within its paragraph), so evidence reads whole. */
function fromSentenceStart(doc: NoticeText, span: Span): Span {
  const from = Math.max(0, span.start - 240);
  let start = from;
  for (const m of doc.text.slice(from, span.start).matchAll(/[.!?:;](?=\s)|\n[ \t]*\n/g))
    start = from + m.index + m[0].length;
  return { start, end: span.end };
}

/**
 * The clause a good-faith belief governs: to its sentence end, read across a paragraph that holds only the URLs
 * it is about ("a good faith belief that the website(s)\n\nURL: https://...\n\noffer items ... not authorized").
 */
function goodFaithClause(tail: string): string {
  const paragraphs = tail.split(/\n[ \t]*\n/);
  let clause = paragraphs[0] ?? '';
  for (let i = 1; i + 1 < paragraphs.length && URL_ONLY.test(paragraphs[i]); i += 2)
    clause = `${clause} ${paragraphs[i + 1]}`;
  return clause.split(/[.!?](?:\s|$)|\n\s*\n/)[0] ?? '';
}

export function perjurySpans(doc: NoticeText): Span[] {
  return statements(doc, PERJURY);
}

export function workSpans(doc: NoticeText): Span[] {
  const answered = answeredPrompts(doc, WORK_PROMPT).map(({ prompt, answer }) => ({
    start: prompt.start,
    end: answerSpan(answer)?.end ?? prompt.end,
  }));
  // The material to remove is not the work it copies: only the URLs not read as infringing may be the original's.
  const infringing = new Set(perText(doc, infringingSpans).map((s) => s.start));
  const urls = facts(doc, URL).filter(
    (s) =>
      !EXCLUDED_HOST.test(doc.text.slice(s.start, s.end)) && !isInfringerOrHelpLink(doc, s) && !infringing.has(s.start),
  );
  return [
    ...answered,
    ...[
      ...WORK.flatMap((re) => facts(doc, re)),
      ...possessiveWork(doc),
      ...facts(doc, DEFINED_WORK).map((s) => fromSentenceStart(doc, s)),
    ].filter((s) => !onPrompt(doc, s)),
    ...urls,
  ];
}

/** "<Owner>'s <kind of work>", the owner a capitalised name and the kind at most four words on. */
function possessiveWork(doc: NoticeText): Span[] {
  const found: Span[] = [];
  for (const m of doc.text.matchAll(POSSESSIVE)) {
    if (NOT_AN_OWNER.test(m[0])) continue;
    KIND_AFTER.lastIndex = m.index + m[0].length;
    const kind = KIND_AFTER.exec(doc.text);
    if (kind) found.push({ start: m.index, end: kind.index + kind[0].length });
  }
  return found;
}

export function infringingSpans(doc: NoticeText): Span[] {
  const answered = answeredPrompts(doc, INFRINGING_PROMPT)
    .filter(({ prompt, answer }) => !/contact/i.test(prompt.text) && answer.some((l) => IDENTIFIES.test(l.text)))
    .map(({ prompt, answer }) => ({ start: prompt.start, end: answerSpan(answer)?.end ?? prompt.end }));
  const urls = facts(doc, URL).filter((s) => {
    const url = doc.text.slice(s.start, s.end);
    if (
      isGithubOwnLink(url) ||
      GITHUB_PROFILE.test(url) ||
      NOT_INFRINGING_URL.test(url) ||
      ORIGINAL_CONTEXT.test(lineBefore(doc, s))
    )
      return false;
    const onLine = doc.text.slice(Math.max(doc.lines.start(lineIndexAt(doc, s.start)), s.start - 80), s.start);
    const after = doc.text.slice(s.end, s.end + 120);
    return (
      GITHUB_HOST.test(url) ||
      (!EXCLUDED_HOST.test(url) && (INFRINGING_CONTEXT.test(onLine) || INFRINGING_AFTER.test(after)))
    );
  });
  return [...answered, ...urls];
}

/** Up to 80 characters before the URL: on its line, or the line above when the URL starts its line. */
function lineBefore(doc: NoticeText, span: Span): string {
  const index = lineIndexAt(doc, span.start);
  const onLine = doc.text.slice(doc.lines.start(index), span.start);
  if (onLine.trim() !== '') return onLine.slice(-80);
  const above = doc.lines
    .slice(Math.max(0, index - 3), index)
    .filter((l) => !l.blank)
    .pop();
  return above ? above.text.slice(-80) : '';
}

function onPrompt(doc: NoticeText, span: Span): boolean {
  return onPromptAt(doc, span.start);
}

function isGithubOwnLink(url: string): boolean {
  return /^https?:\/\/(?:(?:docs|help|support|guides)\.github\.com|github\.com\/(?:github\/(?:dmca|site-policy)|site\/|contact|articles))/i.test(
    url,
  );
}

function isInfringerOrHelpLink(doc: NoticeText, span: Span): boolean {
  const line = doc.lines.text(lineIndexAt(doc, span.start));
  return /(?:website|web|site)\s*:/i.test(line) && !/original|work/i.test(line);
}
