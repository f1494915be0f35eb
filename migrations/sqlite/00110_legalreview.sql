-- +goose Up
-- 合法性审查 (legality review). Chains and fair-competition standards are
-- data administrators edit; reviews carry their workflow instance and
-- statutory clock as JSON next to a version number.

-- Review chains per unit (0 = every unit) and kind ('' = every kind).
-- reviewer_unit_id is the unit that reviews and issues opinion letters
-- (its role holders work the steps); number_prefix starts the letter's
-- document number, e.g. 清河司审 → 清河司审〔2026〕12号.
CREATE TABLE legalreview_chains (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    code             TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    unit_id          INTEGER NOT NULL DEFAULT 0,
    kind             TEXT NOT NULL DEFAULT '',
    reviewer_unit_id INTEGER NOT NULL DEFAULT 0,
    number_prefix    TEXT NOT NULL DEFAULT '',
    definition       TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    updated_at       TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (unit_id, kind)
);

CREATE TABLE legalreviews (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    kind             TEXT NOT NULL,
    title            TEXT NOT NULL,
    unit_id          INTEGER NOT NULL REFERENCES org_units(id),
    subject_type     TEXT NOT NULL DEFAULT '',
    subject_id       INTEGER NOT NULL DEFAULT 0,
    summary          TEXT NOT NULL DEFAULT '',
    file_ids         TEXT NOT NULL DEFAULT '[]',
    requester_id     INTEGER NOT NULL DEFAULT 0,
    requester_name   TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL,
    conclusion       TEXT NOT NULL DEFAULT '',
    conclusion_text  TEXT NOT NULL DEFAULT '',
    submitted_on     TEXT NOT NULL,
    min_on           TEXT NOT NULL,
    requested_by     TEXT NOT NULL,
    due_on           TEXT NOT NULL,
    clock            TEXT NOT NULL,
    chain_id         INTEGER NOT NULL DEFAULT 0,
    chain_name       TEXT NOT NULL DEFAULT '',
    reviewer_unit_id INTEGER NOT NULL DEFAULT 0,
    workflow         TEXT NOT NULL DEFAULT '',
    pending          TEXT NOT NULL DEFAULT '',
    finished_on      TEXT NOT NULL DEFAULT '',
    concluded_by     TEXT NOT NULL DEFAULT '',
    opinion_year     INTEGER NOT NULL DEFAULT 0,
    opinion_seq      INTEGER NOT NULL DEFAULT 0,
    opinion_no       TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at       TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX legalreviews_subject ON legalreviews(subject_type, subject_id);
CREATE INDEX legalreviews_unit ON legalreviews(unit_id);
CREATE INDEX legalreviews_status ON legalreviews(status);
CREATE INDEX legalreviews_submitted ON legalreviews(submitted_on);
CREATE UNIQUE INDEX legalreviews_opinion_no ON legalreviews(reviewer_unit_id, opinion_year, opinion_seq) WHERE opinion_seq > 0;

-- Opinion items of a concluded review and the requester's adoption record.
CREATE TABLE legalreview_opinions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id       INTEGER NOT NULL REFERENCES legalreviews(id),
    seq             INTEGER NOT NULL,
    text            TEXT NOT NULL,
    adoption        TEXT NOT NULL DEFAULT '',
    adoption_reason TEXT NOT NULL DEFAULT '',
    adopted_by      TEXT NOT NULL DEFAULT '',
    adopted_at      TIMESTAMP,
    UNIQUE (review_id, seq)
);

-- Gap-free opinion letter numbers per issuing unit and year.
CREATE TABLE legalreview_numbers (
    unit_id  INTEGER NOT NULL,
    year     INTEGER NOT NULL,
    last_seq INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, year)
);

-- 公平竞争审查 standards (《公平竞争审查条例》第八条至第十一条), editable.
CREATE TABLE legalreview_fc_standards (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    code       TEXT NOT NULL UNIQUE,
    category   TEXT NOT NULL,
    text       TEXT NOT NULL,
    basis      TEXT NOT NULL DEFAULT '',
    sort       INTEGER NOT NULL DEFAULT 0,
    active     INTEGER NOT NULL DEFAULT 1,
    version    INTEGER NOT NULL DEFAULT 1,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- A policy review's checklist answers, with a snapshot of the standard text.
CREATE TABLE legalreview_fc_checks (
    review_id   INTEGER NOT NULL REFERENCES legalreviews(id),
    standard_id INTEGER NOT NULL,
    category    TEXT NOT NULL,
    text        TEXT NOT NULL,
    answer      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (review_id, standard_id)
);

INSERT INTO legalreview_fc_standards (code, category, text, basis, sort) VALUES
('entry.1', '市场准入和退出', '对市场准入负面清单以外的行业、领域、业务等违法设置审批程序', '《公平竞争审查条例》第八条第（一）项', 11),
('entry.2', '市场准入和退出', '违法设置或者授予特许经营权', '《公平竞争审查条例》第八条第（二）项', 12),
('entry.3', '市场准入和退出', '限定经营、购买或者使用特定经营者提供的商品或者服务', '《公平竞争审查条例》第八条第（三）项', 13),
('entry.4', '市场准入和退出', '设置不合理或者歧视性的准入、退出条件', '《公平竞争审查条例》第八条第（四）项', 14),
('entry.5', '市场准入和退出', '其他限制或者变相限制市场准入和退出的内容', '《公平竞争审查条例》第八条第（五）项', 15),
('flow.1', '商品和要素自由流动', '限制外地或者进口商品、要素进入本地市场，或者阻碍本地经营者迁出，商品、要素输出', '《公平竞争审查条例》第九条第（一）项', 21),
('flow.2', '商品和要素自由流动', '排斥、限制、强制或者变相强制外地经营者在本地投资经营或者设立分支机构', '《公平竞争审查条例》第九条第（二）项', 22),
('flow.3', '商品和要素自由流动', '排斥、限制或者变相限制外地经营者参加本地政府采购、招标投标', '《公平竞争审查条例》第九条第（三）项', 23),
('flow.4', '商品和要素自由流动', '对外地或者进口商品、要素设置歧视性收费项目、收费标准、价格或者补贴', '《公平竞争审查条例》第九条第（四）项', 24),
('flow.5', '商品和要素自由流动', '在资质标准、监管执法等方面对外地经营者在本地投资经营设置歧视性要求', '《公平竞争审查条例》第九条第（五）项', 25),
('flow.6', '商品和要素自由流动', '其他限制商品、要素在全国统一大市场自由流动的内容', '《公平竞争审查条例》第九条第（六）项', 26),
('cost.1', '影响生产经营成本', '给予特定经营者税收优惠', '《公平竞争审查条例》第十条第（一）项', 31),
('cost.2', '影响生产经营成本', '给予特定经营者选择性、差异化的财政奖励或者补贴', '《公平竞争审查条例》第十条第（二）项', 32),
('cost.3', '影响生产经营成本', '给予特定经营者要素获取、行政事业性收费、政府性基金、社会保险费等方面的优惠', '《公平竞争审查条例》第十条第（三）项', 33),
('cost.4', '影响生产经营成本', '其他影响特定经营者生产经营成本的内容', '《公平竞争审查条例》第十条第（四）项', 34),
('conduct.1', '影响生产经营行为', '强制或者变相强制经营者实施垄断行为，或者为经营者实施垄断行为提供便利条件', '《公平竞争审查条例》第十一条第（一）项', 41),
('conduct.2', '影响生产经营行为', '超越法定权限制定政府指导价、政府定价，为特定经营者提供优惠价格', '《公平竞争审查条例》第十一条第（二）项', 42),
('conduct.3', '影响生产经营行为', '违法干预实行市场调节价的商品、要素的价格水平', '《公平竞争审查条例》第十一条第（三）项', 43),
('conduct.4', '影响生产经营行为', '其他不合理干预生产经营行为的内容', '《公平竞争审查条例》第十一条第（四）项', 44);

-- The default chain (渝北's 三重审查): 承办人初审 → 法律顾问、公职律师会签 →
-- 司法局负责人审定. Administrators set the reviewing unit and its people.
INSERT INTO legalreview_chains (code, name, unit_id, kind, reviewer_unit_id, number_prefix, definition) VALUES
('default', '合法性审查三重审查（默认）', 0, '', 0, '法审',
'{"code":"legalreview.default","name":"合法性审查三重审查","steps":[{"key":"clerk","name":"承办人初审","kind":"single","assignees":[{"role":"supervisor"}],"deadline_days":5,"remind_before_days":1,"opinion_required":true,"allow_transfer":true},{"key":"counsel","name":"法律顾问、公职律师意见","kind":"countersign","assignees":[{"role":"legal_counsel"}],"deadline_days":5,"remind_before_days":1,"opinion_required":true,"allow_return_to":["clerk"],"allow_add_signer":true},{"key":"head","name":"司法局负责人审定","kind":"single","assignees":[{"role":"head"}],"deadline_days":3,"remind_before_days":1,"opinion_required":true,"allow_return_to":"any_earlier"}]}');

-- +goose Down
DROP TABLE legalreview_fc_checks;
DROP TABLE legalreview_fc_standards;
DROP TABLE legalreview_numbers;
DROP TABLE legalreview_opinions;
DROP TABLE legalreviews;
DROP TABLE legalreview_chains;
