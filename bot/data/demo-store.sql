BEGIN TRANSACTION;
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO "alembic_version" VALUES('0006');
CREATE TABLE article_mentions (
	article_id INTEGER NOT NULL, 
	entity VARCHAR(64) NOT NULL, 
	weight FLOAT NOT NULL, dated_at DATETIME, 
	CONSTRAINT pk_article_mentions PRIMARY KEY (article_id, entity), 
	CONSTRAINT fk_article_mentions_article_id_articles FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE
);
INSERT INTO "article_mentions" VALUES(1,'CA',0.388,'2025-06-19 03:00:00.000000');
INSERT INTO "article_mentions" VALUES(1,'JP',1.0,'2025-06-19 03:00:00.000000');
INSERT INTO "article_mentions" VALUES(1,'KP',0.225,'2025-06-19 03:00:00.000000');
INSERT INTO "article_mentions" VALUES(1,'KR',1.0,'2025-06-19 03:00:00.000000');
INSERT INTO "article_mentions" VALUES(1,'US',0.338,'2025-06-19 03:00:00.000000');
INSERT INTO "article_mentions" VALUES(1,'topic:korea-japan',0.45,'2025-06-19 03:00:00.000000');
INSERT INTO "article_mentions" VALUES(1,'pair:CA-JP',0.388,'2025-06-19 03:00:00.000000');
INSERT INTO "article_mentions" VALUES(1,'pair:CA-KR',0.388,'2025-06-19 03:00:00.000000');
INSERT INTO "article_mentions" VALUES(1,'pair:CA-US',0.131144,'2025-06-19 03:00:00.000000');
INSERT INTO "article_mentions" VALUES(1,'pair:JP-KR',1.0,'2025-06-19 03:00:00.000000');
INSERT INTO "article_mentions" VALUES(1,'pair:JP-US',0.338,'2025-06-19 03:00:00.000000');
INSERT INTO "article_mentions" VALUES(1,'pair:KR-US',0.338,'2025-06-19 03:00:00.000000');
CREATE TABLE article_sources (
	id INTEGER NOT NULL, 
	article_id INTEGER NOT NULL, 
	feed_id INTEGER, 
	outlet VARCHAR(200) NOT NULL, 
	url VARCHAR(2048), 
	url_norm VARCHAR(2048), 
	guid VARCHAR(2048), 
	seen_at DATETIME NOT NULL, country VARCHAR(2), 
	CONSTRAINT pk_article_sources PRIMARY KEY (id), 
	CONSTRAINT fk_article_sources_article_id_articles FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE, 
	CONSTRAINT fk_article_sources_feed_id_feeds FOREIGN KEY(feed_id) REFERENCES feeds (id) ON DELETE SET NULL, 
	CONSTRAINT uq_article_sources_url_norm UNIQUE (url_norm)
);
INSERT INTO "article_sources" VALUES(1,1,NULL,'Korea JoongAng Daily','https://koreajoongangdaily.joins.com/news/2025-06-19/opinion/editorials/Korea-Japan-leaders-meet-ahead-of-60th-anniversary-of-diplomatic-ties/2333269','https://koreajoongangdaily.joins.com/news/2025-06-19/opinion/editorials/Korea-Japan-leaders-meet-ahead-of-60th-anniversary-of-diplomatic-ties/2333269',NULL,'2026-12-06 23:00:10.683999','KR');
CREATE TABLE "articles" (
	id INTEGER NOT NULL, 
	title TEXT NOT NULL, 
	url VARCHAR(2048), 
	outlet VARCHAR(200) NOT NULL, 
	author VARCHAR(300), 
	kind VARCHAR(20) NOT NULL, 
	language VARCHAR(16) NOT NULL, 
	published_at DATETIME, 
	ingested_at DATETIME NOT NULL, 
	dated_at DATETIME NOT NULL, 
	text TEXT NOT NULL, 
	bullets JSON NOT NULL, 
	content_hash VARCHAR(64) NOT NULL, 
	story_id INTEGER, 
	CONSTRAINT pk_articles PRIMARY KEY (id), 
	CONSTRAINT fk_articles_story_id_stories FOREIGN KEY(story_id) REFERENCES stories (id) ON DELETE SET NULL
);
INSERT INTO "articles" VALUES(1,'Korea, Japan leaders meet ahead of 60th anniversary of diplomatic ties','https://koreajoongangdaily.joins.com/news/2025-06-19/opinion/editorials/Korea-Japan-leaders-meet-ahead-of-60th-anniversary-of-diplomatic-ties/2333269','Korea JoongAng Daily',NULL,'editorial','en','2025-06-19 03:00:00.000000','2026-12-06 23:00:10.672648','2025-06-19 03:00:00.000000','Korea, Japan leaders meet ahead of 60th anniversary of diplomatic ties

Home > Opinion > Editorials

print dictionary print

Korea, Japan leaders meet ahead of 60th anniversary of diplomatic ties

 
President Lee Jae Myung, right, shakes hands with Japanese Prime Minister Shigeru Ishiba in their first bilateral talks on the margins of the Group of 7 summit in Calgary, Canada, on June 17. [JOINT PRESS CORPS]

President Lee Jae Myung, right, shakes hands with Japanese Prime Minister Shigeru Ishiba in their first bilateral talks on the margins of the Group of 7 summit in Calgary, Canada, on June 17. [JOINT PRESS CORPS]

 
President Lee Jae Myung held his first summit with Japanese Prime Minister Shigeru Ishiba in Canada on June 17 on the sidelines of the G7 summit. Though the meeting took place in a multilateral setting and lasted only 30 minutes, the two leaders'' swift engagement — just 14 days after Lee took office — underscored a shared commitment to advancing bilateral cooperation.
 
Despite its brevity, the meeting produced meaningful outcomes. The two leaders reaffirmed their resolve to develop future-oriented relations and enhance trilateral coordination with the United States in response to regional security threats, including those posed by North Korea. They also agreed to continue "shuttle diplomacy" through reciprocal visits and to deepen dialogue on pending issues.
 
President Lee described the Korea-Japan relationship as “inseparable, like neighbors sharing a yard,” emphasizing that the two countries, with their complementary strengths, could benefit significantly from cooperation. His remarks signaled an intention to move beyond ideological divisions and pursue a pragmatic diplomatic approach, consistent with his campaign promises. Lee did not raise historical grievances during the meeting, a gesture widely seen as reflecting his active interest in restoring bilateral ties.
 
Prime Minister Ishiba responded positively, expressing hope that closer Korea-Japan cooperation would contribute to global stability. In a press briefing following the summit, he reiterated that the two countries are “important neighbors who must work together on international challenges.”
 

Related Article

The summit comes amid rising global uncertainty driven by trade tensions under U.S. President Donald Trump and escalating conflict in the Middle East. The military threat from North Korea further underscores the importance of close Korea-Japan coordination. Still, challenges remain.
 
According to officials, the two leaders reached a broad understanding that while historical disputes should be responsibly managed, they must not hinder forward-looking progress in bilateral relations. The Korean government now faces the task of aligning domestic divisions and anti-Japanese sentiment with a more future-oriented diplomatic strategy.
 
Japan, for its part, should avoid actions that provoke public backlash in Korea — such as renewed claims over the Dokdo islets or perceived breaches of trust. Seoul was notably frustrated last year when Tokyo failed to follow through on its promise to include forced labor exhibits in its bid to register the Sado mine as a Unesco World Heritage site. A minimalist memorial service only added to tensions. These actions undermined efforts by former President Yoon Suk Yeol, who faced domestic criticism while pursuing closer ties with Japan.
 
It is now Japan’s turn to reciprocate Korea’s outreach by filling the proverbial glass halfway — not just with words, but with concrete actions.


Translated from the JoongAng Ilbo using generative AI and edited by Korea JoongAng Daily staff.
Log in to Twitter or Facebook account to connect
with the Korea JoongAng Daily
help-image Social comment?
s
lock icon

To write comments, please log in to one of the accounts.

Standards Board Policy (0/250자)','["President Lee Jae Myung held his first summit with Japanese Prime Minister Shigeru Ishiba in Canada on June 17 on the sidelines of the G7 summit.", "Japan, for its part, should avoid actions that provoke public backlash in Korea \u2014 such as renewed claims over the Dokdo islets or perceived breaches of trust.", "It is now Japan\u2019s turn to reciprocate Korea\u2019s outreach by filling the proverbial glass halfway \u2014 not just with words, but with concrete actions."]','72b5ea99dbeb89db9724a56b963fbb6ecbddea37bfc9a5edf48d0c44c50328d4',1);
CREATE TABLE briefed_articles (
	platform VARCHAR(16) NOT NULL, 
	channel_id VARCHAR(64) NOT NULL, 
	article_id INTEGER NOT NULL, 
	briefed_at DATETIME NOT NULL, 
	CONSTRAINT pk_briefed_articles PRIMARY KEY (platform, channel_id, article_id), 
	CONSTRAINT fk_briefed_articles_article_id_articles FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE
);
CREATE TABLE deliveries (
	id INTEGER NOT NULL, 
	subscription_id INTEGER NOT NULL, 
	slot_at DATETIME NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	attempts INTEGER NOT NULL, 
	claimed_by VARCHAR(128), 
	lease_until DATETIME, 
	message_id VARCHAR(128), 
	error TEXT, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, article_ids JSON, parts JSON, 
	CONSTRAINT pk_deliveries PRIMARY KEY (id), 
	CONSTRAINT fk_deliveries_subscription_id_subscriptions FOREIGN KEY(subscription_id) REFERENCES subscriptions (id) ON DELETE CASCADE, 
	CONSTRAINT uq_deliveries_subscription_slot UNIQUE (subscription_id, slot_at)
);
CREATE TABLE feed_entries (
	id INTEGER NOT NULL, 
	feed_id INTEGER NOT NULL, 
	entry_key VARCHAR(2048) NOT NULL, 
	entry JSON NOT NULL, 
	position INTEGER NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	attempts INTEGER NOT NULL, 
	next_attempt_at DATETIME, 
	last_error TEXT, 
	first_seen_at DATETIME NOT NULL, 
	CONSTRAINT pk_feed_entries PRIMARY KEY (id), 
	CONSTRAINT fk_feed_entries_feed_id_feeds FOREIGN KEY(feed_id) REFERENCES feeds (id) ON DELETE CASCADE, 
	CONSTRAINT uq_feed_entries_feed_id UNIQUE (feed_id, entry_key)
);
CREATE TABLE "feeds" (
	id INTEGER NOT NULL, 
	url VARCHAR(2048) NOT NULL, 
	name VARCHAR(200), 
	outlet VARCHAR(200), 
	kind VARCHAR(20) NOT NULL, 
	language VARCHAR(16) NOT NULL, 
	trusted BOOLEAN NOT NULL, 
	owner_platform VARCHAR(16), 
	owner_workspace VARCHAR(64), 
	etag VARCHAR(512), 
	last_modified VARCHAR(128), 
	last_attempt_at DATETIME, 
	last_success_at DATETIME, 
	consecutive_failures INTEGER NOT NULL, 
	next_attempt_at DATETIME, 
	last_error TEXT, 
	disabled_reason TEXT, 
	created_at DATETIME NOT NULL, 
	country VARCHAR(2), 
	source_type VARCHAR(16) NOT NULL, 
	"match" VARCHAR(300), 
	CONSTRAINT pk_feeds PRIMARY KEY (id), 
	CONSTRAINT uq_feeds_url UNIQUE (url)
);
CREATE TABLE minhash_bands (
	band SMALLINT NOT NULL, 
	value INTEGER NOT NULL, 
	article_id INTEGER NOT NULL, 
	CONSTRAINT pk_minhash_bands PRIMARY KEY (band, value, article_id), 
	CONSTRAINT fk_minhash_bands_article_id_articles FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE
);
INSERT INTO "minhash_bands" VALUES(0,1776219085,1);
INSERT INTO "minhash_bands" VALUES(1,1874874422,1);
INSERT INTO "minhash_bands" VALUES(2,692717755,1);
INSERT INTO "minhash_bands" VALUES(3,945385974,1);
INSERT INTO "minhash_bands" VALUES(4,17337911,1);
INSERT INTO "minhash_bands" VALUES(5,1527025300,1);
INSERT INTO "minhash_bands" VALUES(6,1105859228,1);
INSERT INTO "minhash_bands" VALUES(7,306469812,1);
CREATE TABLE stories (
	id INTEGER NOT NULL, 
	title TEXT NOT NULL, 
	lead_article_id INTEGER, 
	first_seen DATETIME NOT NULL, 
	last_seen DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	articles INTEGER NOT NULL, 
	centroid JSON NOT NULL, 
	bullets JSON NOT NULL, 
	opinions JSON NOT NULL, 
	perspectives JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_stories PRIMARY KEY (id)
);
INSERT INTO "stories" VALUES(1,'Korea, Japan leaders meet ahead of 60th anniversary of diplomatic ties',1,'2025-06-19 03:00:00.000000','2025-06-19 03:00:00.000000','2026-12-06 23:00:10.702538',1,'{"korea": 0.2489297499265059, "japan": 0.23060963813954657, "leader": 0.20570409371326023, "meet": 0.20570409371326023, "diplomat": 0.1949402128463174, "lee": 0.1949402128463174, "presid": 0.1949402128463174, "summit": 0.1949402128463174, "tie": 0.1949402128463174, "bilater": 0.18220924390732318, "ahead": 0.16662779720034623, "anniversari": 0.16662779720034623, "ishiba": 0.16662779720034623, "japanes": 0.16662779720034623, "minist": 0.16662779720034623, "prime": 0.16662779720034623, "action": 0.14653981861409407, "canada": 0.14653981861409407, "cooper": 0.14653981861409407, "jae": 0.14653981861409407, "joongang": 0.14653981861409407, "june": 0.14653981861409407, "myung": 0.14653981861409407, "press": 0.14653981861409407, "relat": 0.14653981861409407, "shigeru": 0.14653981861409407, "account": 0.11822740296812284, "calgari": 0.11822740296812284, "challeng": 0.11822740296812284, "closer": 0.11822740296812284, "comment": 0.11822740296812284, "coordin": 0.11822740296812284, "corp": 0.11822740296812284, "countri": 0.11822740296812284, "daili": 0.11822740296812284, "divis": 0.11822740296812284, "domest": 0.11822740296812284, "face": 0.11822740296812284, "futur": 0.11822740296812284, "global": 0.11822740296812284}','[]','[{"article_id": 1, "outlet": "Korea JoongAng Daily", "claim": "It is now Japan\u2019s turn to reciprocate Korea\u2019s outreach by filling the proverbial glass halfway \u2014 not just with words, but with concrete actions."}]','{}','2026-12-06 23:00:10.702538');
CREATE TABLE story_terms (
	story_id INTEGER NOT NULL, 
	term VARCHAR(64) NOT NULL, 
	weight FLOAT NOT NULL, 
	first_day INTEGER NOT NULL, 
	last_day INTEGER NOT NULL, 
	CONSTRAINT pk_story_terms PRIMARY KEY (story_id, term), 
	CONSTRAINT fk_story_terms_story_id_stories FOREIGN KEY(story_id) REFERENCES stories (id) ON DELETE CASCADE
);
INSERT INTO "story_terms" VALUES(1,'korea',2.48929749926505905488e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'japan',2.3060963813954657442e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'leader',2.05704093713260233178e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'meet',2.05704093713260233178e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'diplomat',1.94940212846317406647e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'lee',1.94940212846317406647e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'presid',1.94940212846317406647e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'summit',1.94940212846317406647e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'tie',1.94940212846317406647e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'bilater',1.82209243907323181765e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'ahead',1.66627797200346233763e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'anniversari',1.66627797200346233763e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'ishiba',1.66627797200346233763e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'japanes',1.66627797200346233763e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'minist',1.66627797200346233763e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'prime',1.66627797200346233763e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'action',1.46539818614094069504e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'canada',1.46539818614094069504e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'cooper',1.46539818614094069504e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'jae',1.46539818614094069504e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'joongang',1.46539818614094069504e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'june',1.46539818614094069504e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'myung',1.46539818614094069504e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'press',1.46539818614094069504e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'relat',1.46539818614094069504e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'shigeru',1.46539818614094069504e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'account',1.18227402968122841109e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'calgari',1.18227402968122841109e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'challeng',1.18227402968122841109e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'closer',1.18227402968122841109e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'comment',1.18227402968122841109e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'coordin',1.18227402968122841109e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'corp',1.18227402968122841109e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'countri',1.18227402968122841109e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'daili',1.18227402968122841109e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'divis',1.18227402968122841109e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'domest',1.18227402968122841109e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'face',1.18227402968122841109e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'futur',1.18227402968122841109e-01,20258,20258);
INSERT INTO "story_terms" VALUES(1,'global',1.18227402968122841109e-01,20258,20258);
CREATE TABLE "subscriptions" (
	id INTEGER NOT NULL, 
	platform VARCHAR(16) NOT NULL, 
	workspace_id VARCHAR(64), 
	channel_id VARCHAR(64) NOT NULL, 
	topic_slug VARCHAR(100) NOT NULL, 
	timezone VARCHAR(64) NOT NULL, 
	at_time VARCHAR(5), 
	days VARCHAR(40), 
	cron VARCHAR(120), 
	quiet BOOLEAN NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	paused_reason TEXT, 
	created_by VARCHAR(64), 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	recheck_at DATETIME, 
	rechecks INTEGER DEFAULT 0 NOT NULL, 
	CONSTRAINT pk_subscriptions PRIMARY KEY (id)
);
CREATE TABLE term_stats (
	term VARCHAR(64) NOT NULL, 
	df INTEGER NOT NULL, 
	CONSTRAINT pk_term_stats PRIMARY KEY (term)
);
INSERT INTO "term_stats" VALUES('',1);
INSERT INTO "term_stats" VALUES('250',1);
INSERT INTO "term_stats" VALUES('account',1);
INSERT INTO "term_stats" VALUES('action',1);
INSERT INTO "term_stats" VALUES('activ',1);
INSERT INTO "term_stats" VALUES('ad',1);
INSERT INTO "term_stats" VALUES('advanc',1);
INSERT INTO "term_stats" VALUES('agre',1);
INSERT INTO "term_stats" VALUES('ahead',1);
INSERT INTO "term_stats" VALUES('align',1);
INSERT INTO "term_stats" VALUES('amid',1);
INSERT INTO "term_stats" VALUES('anniversari',1);
INSERT INTO "term_stats" VALUES('anti',1);
INSERT INTO "term_stats" VALUES('approach',1);
INSERT INTO "term_stats" VALUES('articl',1);
INSERT INTO "term_stats" VALUES('avoid',1);
INSERT INTO "term_stats" VALUES('backlash',1);
INSERT INTO "term_stats" VALUES('benefit',1);
INSERT INTO "term_stats" VALUES('bid',1);
INSERT INTO "term_stats" VALUES('bilater',1);
INSERT INTO "term_stats" VALUES('board',1);
INSERT INTO "term_stats" VALUES('breach',1);
INSERT INTO "term_stats" VALUES('breviti',1);
INSERT INTO "term_stats" VALUES('brief',1);
INSERT INTO "term_stats" VALUES('broad',1);
INSERT INTO "term_stats" VALUES('calgari',1);
INSERT INTO "term_stats" VALUES('campaign',1);
INSERT INTO "term_stats" VALUES('canada',1);
INSERT INTO "term_stats" VALUES('challeng',1);
INSERT INTO "term_stats" VALUES('claim',1);
INSERT INTO "term_stats" VALUES('close',1);
INSERT INTO "term_stats" VALUES('closer',1);
INSERT INTO "term_stats" VALUES('comment',1);
INSERT INTO "term_stats" VALUES('commit',1);
INSERT INTO "term_stats" VALUES('complementari',1);
INSERT INTO "term_stats" VALUES('concret',1);
INSERT INTO "term_stats" VALUES('conflict',1);
INSERT INTO "term_stats" VALUES('connect',1);
INSERT INTO "term_stats" VALUES('consist',1);
INSERT INTO "term_stats" VALUES('continu',1);
INSERT INTO "term_stats" VALUES('contribut',1);
INSERT INTO "term_stats" VALUES('cooper',1);
INSERT INTO "term_stats" VALUES('coordin',1);
INSERT INTO "term_stats" VALUES('corp',1);
INSERT INTO "term_stats" VALUES('countri',1);
INSERT INTO "term_stats" VALUES('critic',1);
INSERT INTO "term_stats" VALUES('daili',1);
INSERT INTO "term_stats" VALUES('day',1);
INSERT INTO "term_stats" VALUES('deepen',1);
INSERT INTO "term_stats" VALUES('develop',1);
INSERT INTO "term_stats" VALUES('dialogu',1);
INSERT INTO "term_stats" VALUES('dictionari',1);
INSERT INTO "term_stats" VALUES('diplomaci',1);
INSERT INTO "term_stats" VALUES('diplomat',1);
INSERT INTO "term_stats" VALUES('disput',1);
INSERT INTO "term_stats" VALUES('divis',1);
INSERT INTO "term_stats" VALUES('dokdo',1);
INSERT INTO "term_stats" VALUES('domest',1);
INSERT INTO "term_stats" VALUES('donald',1);
INSERT INTO "term_stats" VALUES('driven',1);
INSERT INTO "term_stats" VALUES('east',1);
INSERT INTO "term_stats" VALUES('edit',1);
INSERT INTO "term_stats" VALUES('editori',1);
INSERT INTO "term_stats" VALUES('effort',1);
INSERT INTO "term_stats" VALUES('emphas',1);
INSERT INTO "term_stats" VALUES('engag',1);
INSERT INTO "term_stats" VALUES('enhanc',1);
INSERT INTO "term_stats" VALUES('escal',1);
INSERT INTO "term_stats" VALUES('exhibit',1);
INSERT INTO "term_stats" VALUES('express',1);
INSERT INTO "term_stats" VALUES('face',1);
INSERT INTO "term_stats" VALUES('facebook',1);
INSERT INTO "term_stats" VALUES('fail',1);
INSERT INTO "term_stats" VALUES('fill',1);
INSERT INTO "term_stats" VALUES('follow',1);
INSERT INTO "term_stats" VALUES('forc',1);
INSERT INTO "term_stats" VALUES('forward',1);
INSERT INTO "term_stats" VALUES('frustrat',1);
INSERT INTO "term_stats" VALUES('futur',1);
INSERT INTO "term_stats" VALUES('generat',1);
INSERT INTO "term_stats" VALUES('gestur',1);
INSERT INTO "term_stats" VALUES('glass',1);
INSERT INTO "term_stats" VALUES('global',1);
INSERT INTO "term_stats" VALUES('govern',1);
INSERT INTO "term_stats" VALUES('grievanc',1);
INSERT INTO "term_stats" VALUES('group',1);
INSERT INTO "term_stats" VALUES('halfway',1);
INSERT INTO "term_stats" VALUES('hand',1);
INSERT INTO "term_stats" VALUES('held',1);
INSERT INTO "term_stats" VALUES('heritag',1);
INSERT INTO "term_stats" VALUES('hinder',1);
INSERT INTO "term_stats" VALUES('histor',1);
INSERT INTO "term_stats" VALUES('home',1);
INSERT INTO "term_stats" VALUES('hope',1);
INSERT INTO "term_stats" VALUES('icon',1);
INSERT INTO "term_stats" VALUES('ideolog',1);
INSERT INTO "term_stats" VALUES('ilbo',1);
INSERT INTO "term_stats" VALUES('imag',1);
INSERT INTO "term_stats" VALUES('import',1);
INSERT INTO "term_stats" VALUES('includ',1);
INSERT INTO "term_stats" VALUES('insepar',1);
INSERT INTO "term_stats" VALUES('intent',1);
INSERT INTO "term_stats" VALUES('interest',1);
INSERT INTO "term_stats" VALUES('intern',1);
INSERT INTO "term_stats" VALUES('ishiba',1);
INSERT INTO "term_stats" VALUES('islet',1);
INSERT INTO "term_stats" VALUES('issu',1);
INSERT INTO "term_stats" VALUES('jae',1);
INSERT INTO "term_stats" VALUES('japan',1);
INSERT INTO "term_stats" VALUES('japanes',1);
INSERT INTO "term_stats" VALUES('joint',1);
INSERT INTO "term_stats" VALUES('joongang',1);
INSERT INTO "term_stats" VALUES('june',1);
INSERT INTO "term_stats" VALUES('korea',1);
INSERT INTO "term_stats" VALUES('korean',1);
INSERT INTO "term_stats" VALUES('labor',1);
INSERT INTO "term_stats" VALUES('last',1);
INSERT INTO "term_stats" VALUES('leader',1);
INSERT INTO "term_stats" VALUES('lee',1);
INSERT INTO "term_stats" VALUES('lock',1);
INSERT INTO "term_stats" VALUES('log',1);
INSERT INTO "term_stats" VALUES('manag',1);
INSERT INTO "term_stats" VALUES('margin',1);
INSERT INTO "term_stats" VALUES('meaning',1);
INSERT INTO "term_stats" VALUES('meet',1);
INSERT INTO "term_stats" VALUES('memori',1);
INSERT INTO "term_stats" VALUES('middl',1);
INSERT INTO "term_stats" VALUES('militari',1);
INSERT INTO "term_stats" VALUES('mine',1);
INSERT INTO "term_stats" VALUES('minimalist',1);
INSERT INTO "term_stats" VALUES('minist',1);
INSERT INTO "term_stats" VALUES('minut',1);
INSERT INTO "term_stats" VALUES('move',1);
INSERT INTO "term_stats" VALUES('multilater',1);
INSERT INTO "term_stats" VALUES('myung',1);
INSERT INTO "term_stats" VALUES('neighbor',1);
INSERT INTO "term_stats" VALUES('north',1);
INSERT INTO "term_stats" VALUES('notabl',1);
INSERT INTO "term_stats" VALUES('offic',1);
INSERT INTO "term_stats" VALUES('offici',1);
INSERT INTO "term_stats" VALUES('opinion',1);
INSERT INTO "term_stats" VALUES('orient',1);
INSERT INTO "term_stats" VALUES('outcom',1);
INSERT INTO "term_stats" VALUES('outreach',1);
INSERT INTO "term_stats" VALUES('part',1);
INSERT INTO "term_stats" VALUES('pend',1);
INSERT INTO "term_stats" VALUES('perceiv',1);
INSERT INTO "term_stats" VALUES('place',1);
INSERT INTO "term_stats" VALUES('polici',1);
INSERT INTO "term_stats" VALUES('pose',1);
INSERT INTO "term_stats" VALUES('posit',1);
INSERT INTO "term_stats" VALUES('pragmat',1);
INSERT INTO "term_stats" VALUES('presid',1);
INSERT INTO "term_stats" VALUES('press',1);
INSERT INTO "term_stats" VALUES('prime',1);
INSERT INTO "term_stats" VALUES('print',1);
INSERT INTO "term_stats" VALUES('produc',1);
INSERT INTO "term_stats" VALUES('progress',1);
INSERT INTO "term_stats" VALUES('promis',1);
INSERT INTO "term_stats" VALUES('proverbi',1);
INSERT INTO "term_stats" VALUES('provok',1);
INSERT INTO "term_stats" VALUES('public',1);
INSERT INTO "term_stats" VALUES('pursu',1);
INSERT INTO "term_stats" VALUES('rais',1);
INSERT INTO "term_stats" VALUES('reach',1);
INSERT INTO "term_stats" VALUES('reaffirm',1);
INSERT INTO "term_stats" VALUES('reciproc',1);
INSERT INTO "term_stats" VALUES('reflect',1);
INSERT INTO "term_stats" VALUES('region',1);
INSERT INTO "term_stats" VALUES('regist',1);
INSERT INTO "term_stats" VALUES('reiter',1);
INSERT INTO "term_stats" VALUES('relat',1);
INSERT INTO "term_stats" VALUES('relationship',1);
INSERT INTO "term_stats" VALUES('remain',1);
INSERT INTO "term_stats" VALUES('remark',1);
INSERT INTO "term_stats" VALUES('renew',1);
INSERT INTO "term_stats" VALUES('resolv',1);
INSERT INTO "term_stats" VALUES('respond',1);
INSERT INTO "term_stats" VALUES('respons',1);
INSERT INTO "term_stats" VALUES('restor',1);
INSERT INTO "term_stats" VALUES('rise',1);
INSERT INTO "term_stats" VALUES('sado',1);
INSERT INTO "term_stats" VALUES('secur',1);
INSERT INTO "term_stats" VALUES('sentiment',1);
INSERT INTO "term_stats" VALUES('seoul',1);
INSERT INTO "term_stats" VALUES('servic',1);
INSERT INTO "term_stats" VALUES('set',1);
INSERT INTO "term_stats" VALUES('shake',1);
INSERT INTO "term_stats" VALUES('share',1);
INSERT INTO "term_stats" VALUES('shigeru',1);
INSERT INTO "term_stats" VALUES('shuttl',1);
INSERT INTO "term_stats" VALUES('sidelin',1);
INSERT INTO "term_stats" VALUES('signal',1);
INSERT INTO "term_stats" VALUES('signific',1);
INSERT INTO "term_stats" VALUES('site',1);
INSERT INTO "term_stats" VALUES('social',1);
INSERT INTO "term_stats" VALUES('stabil',1);
INSERT INTO "term_stats" VALUES('staff',1);
INSERT INTO "term_stats" VALUES('standard',1);
INSERT INTO "term_stats" VALUES('state',1);
INSERT INTO "term_stats" VALUES('strategi',1);
INSERT INTO "term_stats" VALUES('strength',1);
INSERT INTO "term_stats" VALUES('suk',1);
INSERT INTO "term_stats" VALUES('summit',1);
INSERT INTO "term_stats" VALUES('swift',1);
INSERT INTO "term_stats" VALUES('talk',1);
INSERT INTO "term_stats" VALUES('task',1);
INSERT INTO "term_stats" VALUES('tension',1);
INSERT INTO "term_stats" VALUES('threat',1);
INSERT INTO "term_stats" VALUES('tie',1);
INSERT INTO "term_stats" VALUES('tokyo',1);
INSERT INTO "term_stats" VALUES('trade',1);
INSERT INTO "term_stats" VALUES('translat',1);
INSERT INTO "term_stats" VALUES('trilater',1);
INSERT INTO "term_stats" VALUES('trump',1);
INSERT INTO "term_stats" VALUES('trust',1);
INSERT INTO "term_stats" VALUES('turn',1);
INSERT INTO "term_stats" VALUES('twitter',1);
INSERT INTO "term_stats" VALUES('uncertainti',1);
INSERT INTO "term_stats" VALUES('undermin',1);
INSERT INTO "term_stats" VALUES('underscor',1);
INSERT INTO "term_stats" VALUES('understand',1);
INSERT INTO "term_stats" VALUES('unesco',1);
INSERT INTO "term_stats" VALUES('unit',1);
INSERT INTO "term_stats" VALUES('visit',1);
INSERT INTO "term_stats" VALUES('wide',1);
INSERT INTO "term_stats" VALUES('word',1);
INSERT INTO "term_stats" VALUES('work',1);
INSERT INTO "term_stats" VALUES('world',1);
INSERT INTO "term_stats" VALUES('write',1);
INSERT INTO "term_stats" VALUES('yard',1);
INSERT INTO "term_stats" VALUES('year',1);
INSERT INTO "term_stats" VALUES('yeol',1);
INSERT INTO "term_stats" VALUES('yoon',1);
CREATE INDEX ix_article_sources_article_id ON article_sources (article_id);
CREATE INDEX ix_article_sources_feed_guid ON article_sources (feed_id, guid);
CREATE INDEX ix_deliveries_subscription_id ON deliveries (subscription_id);
CREATE INDEX ix_minhash_bands_article_id ON minhash_bands (article_id);
CREATE INDEX ix_feed_entries_feed_due ON feed_entries (feed_id, status, next_attempt_at);
CREATE INDEX ix_stories_last_seen ON stories (last_seen);
CREATE INDEX ix_stories_updated_at ON stories (updated_at);
CREATE INDEX ix_story_terms_term_last_day ON story_terms (term, last_day);
CREATE INDEX ix_article_mentions_entity_dated ON article_mentions (entity, dated_at);
CREATE INDEX ix_articles_dated_at ON articles (dated_at);
CREATE INDEX ix_articles_content_hash ON articles (content_hash);
CREATE INDEX ix_articles_story_id ON articles (story_id);
CREATE INDEX ix_subscriptions_channel ON subscriptions (platform, workspace_id, channel_id);
COMMIT;
