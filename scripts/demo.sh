#!/usr/bin/env bash
# Builds Almoner and walks a realistic three-tier ledger through everything
# built so far: the district 广安区 with three streets and six communities,
# admins and treasurers with their own keys, a restricted fund (老龄食堂),
# a few hundred donations, allocations down the tiers, a reversal, balances,
# the journal, `verify ledger`, refused bad input and detected tampering;
# then disbursements under the approval policy at every size band and tier,
# a refused payment, a rejection, restricted funds, a policy change and a
# bank reconciliation; last month's mistakes corrected inside last month with
# --date, what is still open, and last month reconciled; exports to hledger
# and beancount whose balances are printed beside Almoner's; and at the end a
# street supervisor's audit, signed into the log.
#
# Usage: scripts/demo.sh [OUTPUT-DIR]   (default: ./demo-output, recreated)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/setup.sh
echo "== 构建 almoner =="
swift build --product almoner 2>&1 | tail -1
bin="$(swift build --show-bin-path)/almoner"

out=${1:-demo-output}
rm -rf "$out"
mkdir -p "$out/keys"
cd "$out"
export ALMONER_LEDGER="$PWD/guangan.db"
almoner() { "$bin" "$@"; }
step() { printf '\n== %s ==\n' "$*"; }

step "1. 生成密钥（每人一把，私钥仅本人可读）"
declare -A person=(
  [ga-admin]=李明 [ga-treasurer]=陈静 [ga-supervisor]=周建国
  [bc-treasurer]=赵磊 [nm-treasurer]=孙丽 [ds-treasurer]=吴强 [bc-supervisor]=郑华
  [jsl-treasurer]=王芳 [whl-treasurer]=刘洋 [nms-treasurer]=黄敏
  [bj-treasurer]=杨帆 [dss-treasurer]=徐静 [gh-treasurer]=马超
)
for role in "${!person[@]}"; do
  almoner key new --name "${person[$role]}" --out "keys/$role.pem" >/dev/null
done
ls -l keys/ga-admin.pem keys/ga-admin.pem.pub | awk '{print "  " $1, $NF}'

step "2. 建账：广安区（区级），李明为管理员"
almoner init --district GA --name 广安区 --admin-name 李明 --origin almoner.example/guangan \
  --key keys/ga-admin.pem

step "3. 三个街道、六个社区"
almoner unit add GA-BC --name 北城街道 --parent GA --key keys/ga-admin.pem
almoner unit add GA-NM --name 南门街道 --parent GA --key keys/ga-admin.pem
almoner unit add GA-DS --name 东山街道 --parent GA --key keys/ga-admin.pem
almoner unit add GA-BC-JSL --name 建设路社区 --parent GA-BC --key keys/ga-admin.pem
almoner unit add GA-BC-WHL --name 文化路社区 --parent GA-BC --key keys/ga-admin.pem
almoner unit add GA-NM-NMS --name 南门社区 --parent GA-NM --key keys/ga-admin.pem
almoner unit add GA-NM-BJ --name 滨江社区 --parent GA-NM --key keys/ga-admin.pem
almoner unit add GA-DS-DSS --name 东山社区 --parent GA-DS --key keys/ga-admin.pem
almoner unit add GA-DS-GH --name 桂花社区 --parent GA-DS --key keys/ga-admin.pem
almoner unit list

step "4. 授予角色：记账员、监督员"
grant() { almoner member add --unit "$1" --role "$2" --name "${person[$3]}" \
  --public-key "keys/$3.pem.pub" --key keys/ga-admin.pem >/dev/null; }
grant GA treasurer ga-treasurer
grant GA supervisor ga-supervisor
grant GA-BC treasurer bc-treasurer
grant GA-BC supervisor bc-supervisor
grant GA-NM treasurer nm-treasurer
grant GA-DS treasurer ds-treasurer
grant GA-BC-JSL treasurer jsl-treasurer
grant GA-BC-WHL treasurer whl-treasurer
grant GA-NM-NMS treasurer nms-treasurer
grant GA-NM-BJ treasurer bj-treasurer
grant GA-DS-DSS treasurer dss-treasurer
grant GA-DS-GH treasurer gh-treasurer
almoner member list

step "5. 定向基金：老龄食堂（区级、北城街道、建设路社区）"
for unit in GA GA-BC GA-BC-JSL; do
  almoner fund open elderly-canteen --unit "$unit" --name 老龄食堂 --restricted \
    --purpose 社区老年人助餐 --key keys/ga-admin.pem
done

step "6. 记录捐赠：几百笔，分散在各社区、各渠道、各月份"
surnames=(张 王 李 赵 刘 陈 杨 黄 吴 周 徐 孙 马 朱 胡 郭 何 林 罗 高)
given=(伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 桂兰 建华)
channels=(wechat alipay bank cash wechat wechat alipay)
units=(GA-BC-JSL GA-BC-WHL GA-NM-NMS GA-NM-BJ GA-DS-DSS GA-DS-GH)
keys=(jsl-treasurer whl-treasurer nms-treasurer bj-treasurer dss-treasurer gh-treasurer)
count=0
for i in $(seq 0 239); do
  u=$((i % 6))
  donor="${surnames[$((i * 7 % 20))]}${given[$((i * 3 % 20))]}"
  yuan=$(( (i * 37 % 50 + 1) * 20 ))
  month=$(( i % 10 + 1 ))
  day=$(( i * 11 % 28 + 1 ))
  args=(--unit "${units[$u]}" --amount "$yuan.$((i % 2 * 5))0" --donor "$donor"
    --channel "${channels[$((i % 7))]}" --ref "DEMO-$i"
    --date "$(printf '2026-%02d-%02d' "$month" "$day")" --key "keys/${keys[$u]}.pem")
  [ $((i % 9)) -eq 0 ] && args+=(--named)
  almoner donate "${args[@]}" >/dev/null
  count=$((count + 1))
done
# District-level gifts, some restricted to the canteen.
for i in $(seq 0 59); do
  donor="${surnames[$((i % 20))]}${given[$(((i + 5) % 20))]}"
  fund=()
  [ $((i % 3)) -eq 0 ] && fund=(--fund 老龄食堂)
  almoner donate --unit GA --amount $(( (i % 12 + 1) * 500 )) --donor "$donor" "${fund[@]}" \
    --channel bank --date "$(printf '2026-%02d-15' $((i % 10 + 1)))" \
    --key keys/ga-treasurer.pem >/dev/null
  count=$((count + 1))
done
almoner donate --unit GA --amount 50000 --donor 广安区爱心企业联合会 --named --channel bank \
  --ref BANK-2026-0815-001 --date 2026-08-15 --key keys/ga-treasurer.pem
echo "共记录 $((count + 1)) 笔捐赠"

step "6b. 导入账单：建设路社区 11 月的微信支付和支付宝（GB18030）账单"
bills="$root/Tests/Samples/bills"
echo "  先试运行（不写入）："
almoner import donations "$bills/alipay-2026-11.csv" --rules "$root/rules/alipay.rules" \
  --unit GA-BC-JSL --dry-run --key keys/jsl-treasurer.pem | sed 's/^/  /'
almoner import donations "$bills/wechat-pay-2026-11.csv" --rules "$root/rules/wechat-pay.rules" \
  --unit GA-BC-JSL --key keys/jsl-treasurer.pem
almoner import donations "$bills/alipay-2026-11.csv" --rules "$root/rules/alipay.rules" \
  --unit GA-BC-JSL --key keys/jsl-treasurer.pem
echo "  同一份账单再导入一次，什么也不会重复记录："
almoner import donations "$bills/wechat-pay-2026-11.csv" --rules "$root/rules/wechat-pay.rules" \
  --unit GA-BC-JSL --key keys/jsl-treasurer.pem | sed 's/^/  /'
echo "  同一个流水号直接再记一次，也被拒绝："
almoner donate --unit GA-BC-JSL --amount 500 --donor 张三 --channel 微信支付 \
  --ref 10001000012026110108491200001 --key keys/jsl-treasurer.pem 2>&1 | sed 's/^/  /' || true
echo "  单位捐赠以全称公示，匿名捐赠显示为「匿名」："
almoner journal --unit GA-BC-JSL --from 2026-11-01 --to 2026-11-30 | grep -E '幸福里|建设路小学|匿名' \
  | sed 's/^/  /'

step "7. 划拨：区级 → 街道 → 社区（两阶段：发出在途，收款确认）"
allocate() { almoner allocate --from "$1" --to "$2" --amount "$3" "${@:5}" --key "keys/$4.pem" | sed -n 1p; }
id=$(allocate GA GA-BC 30000 ga-treasurer)
almoner allocate confirm "$id" --key keys/bc-treasurer.pem
id=$(allocate GA GA-NM 20000 ga-treasurer)
almoner allocate confirm "$id" --key keys/nm-treasurer.pem
id=$(allocate GA GA-DS 15000 ga-treasurer)
almoner allocate confirm "$id" --key keys/ds-treasurer.pem
id=$(allocate GA-BC GA-BC-JSL 12000 bc-treasurer)
almoner allocate confirm "$id" --key keys/jsl-treasurer.pem
id=$(allocate GA GA-BC 5000 ga-treasurer --fund 老龄食堂)
almoner allocate confirm "$id" --key keys/bc-treasurer.pem
id=$(allocate GA-BC GA-BC-JSL 5000 bc-treasurer --fund 老龄食堂)
almoner allocate confirm "$id" --key keys/jsl-treasurer.pem
echo "  老龄食堂基金不能划给没有该基金的单位："
almoner allocate --from GA --to GA-NM --amount 100 --fund 老龄食堂 --key keys/ga-treasurer.pem \
  2>&1 | sed 's/^/  /' || true
id=$(allocate GA-NM GA-NM-BJ 8000 nm-treasurer)
echo "  滨江社区尚未确认：划拨 $id 在途"
id=$(allocate GA-DS GA-DS-GH 3000 ds-treasurer)
almoner allocate void "$id" --key keys/ds-treasurer.pem

step "8. 冲销：一笔重复录入的捐赠"
dup=$(almoner donate --unit GA-BC-JSL --amount 200 --donor 张伟 --channel wechat \
  --ref DEMO-DUP --date 2026-11-02 --key keys/jsl-treasurer.pem --format json \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["seq"])')
almoner reverse "$dup" --reason 重复录入 --key keys/jsl-treasurer.pem

step "9. 余额：北城街道（本级 + 下辖合计），截至 9 月 30 日的区级余额"
almoner balance --unit GA-BC
almoner balance --unit GA --as-of 2026-09-30

step "10. 流水（建设路社区，11 月）"
almoner journal --unit 建设路社区 --from 2026-11-01

step "11. 核验整本账"
almoner verify ledger

step "12. 检查点：区级管理员签发，街道与区级监督员核对一致后联署"
almoner checkpoint create --key keys/ga-admin.pem --out checkpoint.txt >/dev/null
almoner checkpoint cosign checkpoint.txt --key keys/bc-supervisor.pem
almoner checkpoint cosign checkpoint.txt --key keys/ga-supervisor.pem
cat checkpoint.txt
almoner checkpoint show

step "13. 捐赠收据：开具给捐赠人，离线核验（不需要账本）"
gift=$(almoner journal --unit GA --format json | python3 -c '
import json, sys
print(next(e["seq"] for e in json.load(sys.stdin) if e["kind"] == "donation" and e["amountFen"] == 5000000))')
almoner receipt "$gift" --out receipt.json
almoner keys export --out trust.json
mkdir -p resident && cp receipt.json trust.json resident/
(cd resident && env -u ALMONER_LEDGER "$bin" verify receipt receipt.json --trust trust.json)
echo "  改动收据中的金额后再核验："
python3 -c 'import sys; t = open("receipt.json").read()
open("resident/forged.json", "w").write(t.replace("amountFen\\\":5000000", "amountFen\\\":5000001", 1))' 
(cd resident && env -u ALMONER_LEDGER "$bin" verify receipt forged.json --trust trust.json 2>&1 \
  | sed 's/^/  /') || true

step "13b. 公开日志：把整个账本发布为静态文件（C2SP tlog-tiles），居民用独立脚本核验"
almoner publish public-log
find public-log -type f | sort | sed 's/^/  /'
python3 "$root/scripts/check_public_log.py" public-log

step "13c. 公示报表：建设路社区 2026 年第三季度、北城街道（含下属社区）汇总；监督员会签后发布"
almoner statement create --unit GA-BC-JSL --period 2026-Q3 --key keys/jsl-treasurer.pem --out jsl-2026q3.json
almoner statement create --unit GA-BC --period 2026-Q3 --subtree --key keys/bc-treasurer.pem --out bc-2026q3.json
almoner statement cosign jsl-2026q3.json --key keys/bc-supervisor.pem
almoner statement cosign bc-2026q3.json --key keys/ga-supervisor.pem
almoner statement publish jsl-2026q3.json --key keys/jsl-treasurer.pem
almoner statement publish bc-2026q3.json --key keys/bc-treasurer.pem
echo "  发布记录也要有监督员联署的检查点，再更新公开日志（只写新增的文件，连同报表）："
almoner checkpoint create --key keys/ga-admin.pem --out checkpoint2.txt >/dev/null
almoner checkpoint cosign checkpoint2.txt --key keys/bc-supervisor.pem >/dev/null
almoner checkpoint cosign checkpoint2.txt --key keys/ga-supervisor.pem >/dev/null
almoner publish public-log
find public-log/statements -type f | sort | sed 's/^/  /'
python3 "$root/scripts/check_public_log.py" public-log

step "13d. 居民核验公示报表：只用报表、信任公钥和公开日志（不需要账本）"
cp jsl-2026q3.json bc-2026q3.json resident/
cp -r public-log resident/
(cd resident && env -u ALMONER_LEDGER "$bin" verify statement jsl-2026q3.json --trust trust.json --log public-log)
(cd resident && env -u ALMONER_LEDGER "$bin" verify statement bc-2026q3.json --trust trust.json --log public-log --lang en)
echo "  不用 Almoner，只用 Python（标准库 + cryptography）再核一遍报表和收据："
(cd resident && python3 "$root/scripts/verify_statement.py" jsl-2026q3.json --trust trust.json)
(cd resident && python3 "$root/scripts/verify_statement.py" bc-2026q3.json --trust trust.json)
(cd resident && python3 "$root/scripts/verify_statement.py" receipt.json --trust trust.json)
echo "  公告栏文本（另存 HTML 页面 jsl-2026q3.html、bc-2026q3.html，可打印为 A4）："
almoner statement render jsl-2026q3.json --format text | head -20
almoner statement render bc-2026q3.json --format text | head -12
almoner statement render jsl-2026q3.json --format html > jsl-2026q3.html
almoner statement render bc-2026q3.json --format html > bc-2026q3.html

step "14. 错误输入被拒绝，账本不变"
before=$(sha256sum "$ALMONER_LEDGER" | cut -c1-16)
for bad in 12.345 -5 0 1e3 abc 99999999999999999; do
  almoner donate --unit GA-BC-JSL --amount "$bad" --donor 测试 --key keys/jsl-treasurer.pem \
    2>&1 | sed 's/^/  /' || true
done
almoner unit add GA-XX --name 新社区 --parent GA --tier community --key keys/ga-admin.pem \
  2>&1 | sed 's/^/  /' || true
almoner donate --unit GA-BC-JSL --amount 100 --donor 测试 --key keys/nms-treasurer.pem \
  2>&1 | sed 's/^/  /' || true
after=$(sha256sum "$ALMONER_LEDGER" | cut -c1-16)
echo "  账本文件 SHA-256 前缀：之前 $before，之后 $after"

step "15. 篡改检测：在副本里直接改 SQLite 中一条捐赠的一个字节"
cp "$ALMONER_LEDGER" tampered.db
python3 - <<'PY'
import sqlite3
db = sqlite3.connect("tampered.db")
seq, body = db.execute("SELECT seq, canonical FROM entry WHERE seq = 100").fetchone()
body = bytearray(body)
i = body.index(b'"amountFen":') + len(b'"amountFen":')
body[i] = ord("9") if body[i] != ord("9") else ord("8")
db.execute("UPDATE entry SET canonical = ? WHERE seq = ?", (bytes(body), seq))
db.commit()
PY
if almoner verify ledger --ledger tampered.db; then
  echo "篡改未被发现——这不应该发生" >&2
  exit 1
else
  echo "  （退出码 $?：核验发现问题）"
fi

step "15b. 没有密钥的人改了余额表、植入触发器：下一次写入拒绝签署，账本不变"
cp "$ALMONER_LEDGER" edited.db
python3 - <<'PY'
import sqlite3
db = sqlite3.connect("edited.db")
db.execute("UPDATE daily_balance SET amount_fen = amount_fen + 100000000 "
           "WHERE unit = 'GA' AND account = 'assets:bank' AND fund = 'general'")
db.commit()
PY
if almoner allocate --ledger edited.db --from GA --to GA-BC --amount 1000000 --key keys/ga-treasurer.pem; then
  echo "改过的余额被用来签署划拨——这不应该发生" >&2
  exit 1
else
  echo "  （退出码 $?：没有写入任何记录）"
fi
cp "$ALMONER_LEDGER" planted.db
python3 - <<'PY'
import sqlite3
db = sqlite3.connect("planted.db")
db.execute("CREATE TRIGGER erase_donor AFTER INSERT ON donor_private "
           "BEGIN DELETE FROM donor_private WHERE seq = NEW.seq; END")
db.commit()
PY
if almoner donate --ledger planted.db --unit GA-BC-JSL --amount 10 --donor 张三 --key keys/jsl-treasurer.pem; then
  echo "植入的触发器在写入中运行——这不应该发生" >&2
  exit 1
else
  echo "  （退出码 $?：没有写入任何记录）"
fi

step "16. 审批人：社区、街道、区级各有审批人；审批规则（默认）"
person+=([jsl-approver]=钱敏 [bc-approver]=冯涛 [nm-approver]=曹阳 [ga-approver]=蒋伟 [ga-approver2]=韩梅)
for role in jsl-approver bc-approver nm-approver ga-approver ga-approver2; do
  almoner key new --name "${person[$role]}" --out "keys/$role.pem" >/dev/null
done
grant GA-BC-JSL approver jsl-approver
grant GA-BC approver bc-approver
grant GA-NM approver nm-approver
grant GA approver ga-approver
grant GA approver ga-approver2
almoner policy show

step "17. 支出：每个金额档各一笔，逐级审批后付款"
request() { almoner disburse request "$@" | sed -n 1p; }
approve() { almoner disburse approve "$1" --key "keys/$2.pem"; }
pay() { almoner disburse pay "$1" --key "keys/$2.pem"; }
echo "  ¥3,000（社区自批）："
id=$(request --unit GA-BC-JSL --amount 3000 --payee 惠民超市 --purpose 重阳节敬老活动物资 \
  --key keys/jsl-treasurer.pem)
approve "$id" jsl-approver
pay "$id" jsl-treasurer
echo "  ¥12,000（社区 + 街道）：收款人是个人，附发票照片"
printf 'INVOICE 2026-11 No.0042  ¥12,000.00\n' > invoice-0042.txt
id=$(request --unit GA-BC-JSL --amount 12000 --payee 李桂兰 --payee-person \
  --purpose 困难家庭临时救助 --attach invoice-0042.txt --key keys/jsl-treasurer.pem)
approve "$id" jsl-approver
echo "  街道尚未审批，付款被拒绝："
pay "$id" jsl-treasurer 2>&1 | sed 's/^/  /' || true
echo "  别的街道的审批人无权批准："
approve "$id" nm-approver 2>&1 | sed 's/^/  /' || true
approve "$id" bc-approver
pay "$id" jsl-treasurer
echo "  ¥55,000（社区 + 街道 + 区级）：先由区级经街道划拨资金"
id=$(allocate GA GA-BC 60000 ga-treasurer)
almoner allocate confirm "$id" --key keys/bc-treasurer.pem >/dev/null
id=$(allocate GA-BC GA-BC-JSL 58000 bc-treasurer)
almoner allocate confirm "$id" --key keys/jsl-treasurer.pem >/dev/null
id=$(request --unit GA-BC-JSL --amount 55000 --payee 安居建筑工程公司 \
  --purpose 社区养老服务站适老化改造 --category elderly --key keys/jsl-treasurer.pem)
approve "$id" jsl-approver
approve "$id" bc-approver
approve "$id" ga-approver
pay "$id" jsl-treasurer

step "17b. 期初余额：滨江社区接收原账簿结余（像同样金额的支出一样审批）"
id=$(almoner opening --unit GA-NM-BJ --account bank --amount 3000 --as-of 2026-09-30 \
  --note 接收原账簿结余 --key keys/bj-treasurer.pem | sed -n 1p)
approve "$id" nm-approver
pay "$id" bj-treasurer
almoner balance --unit GA-NM-BJ --as-of 2026-09-30

step "18. 驳回、撤销，以及定向基金只用于其用途"
id=$(request --unit GA-BC-JSL --amount 800 --payee 聚福酒楼 --purpose 工作人员聚餐 --category other \
  --key keys/jsl-treasurer.pem)
almoner disburse reject "$id" --reason 不属于慈善用途 --key keys/bc-approver.pem
id=$(request --unit GA-BC-JSL --amount 500 --payee 惠民超市 --purpose 慰问品 --key keys/jsl-treasurer.pem)
almoner disburse cancel "$id" --reason 已由企业捐赠实物 --key keys/jsl-treasurer.pem
echo "  老龄食堂基金不能用于助学："
request --unit GA --fund 老龄食堂 --amount 1000 --payee 北城小学 --purpose 贫困学生助学金 \
  --key keys/ga-treasurer.pem 2>&1 | sed 's/^/  /' || true
id=$(request --unit GA --fund 老龄食堂 --amount 4000 --payee 惠民超市 --purpose 老年食堂采购食材 \
  --key keys/ga-treasurer.pem)
approve "$id" ga-approver
pay "$id" ga-treasurer
echo "  定向资金释放到非定向基金：单独申请、同样审批"
id=$(almoner disburse release --unit GA --fund 老龄食堂 --amount 2000 \
  --reason 项目结余经捐赠人同意转为非定向 --key keys/ga-treasurer.pem | sed -n 1p)
approve "$id" ga-approver2
pay "$id" ga-treasurer

step "19. 修改审批规则：区级须两人批准（只约束此后的申请）"
almoner policy set --district-approvals 2 --key keys/ga-admin.pem
id=$(request --unit GA --amount 10000 --payee 广安区红十字会 --purpose 冬季救灾物资 \
  --key keys/ga-treasurer.pem)
approve "$id" ga-approver
approve "$id" ga-approver2
pay "$id" ga-treasurer
almoner disburse list --unit GA-BC
almoner journal --unit 建设路社区 | tail -8

step "20. 银行对账：建设路社区截至 10 月 31 日"
booked_fen=$(almoner balance --unit GA-BC-JSL --as-of 2026-10-31 --format json | python3 -c '
import json, sys
print(sum(l["amountFen"] for l in json.load(sys.stdin)["own"] if l["account"] == "assets:bank"))')
yuan() { printf '%d.%02d' $(($1 / 100)) $(($1 % 100)); }
echo "  对账单余额写错 100 元时："
almoner reconcile --unit GA-BC-JSL --account bank --as-of 2026-10-31 \
  --balance "$(yuan $((booked_fen + 10000)))" --key keys/jsl-treasurer.pem \
  2>&1 | sed 's/^/  /' || true
almoner reconcile --unit GA-BC-JSL --account bank --as-of 2026-10-31 --balance "$(yuan "$booked_fen")" \
  --key keys/jsl-treasurer.pem
echo "  已对账的日子不能再补记："
almoner donate --unit GA-BC-JSL --amount 50 --donor 测试 --date 2026-10-15 \
  --key keys/jsl-treasurer.pem 2>&1 | sed 's/^/  /' || true

step "21. 核验：付款都满足申请时的审批规则、附件未被改动"
almoner verify ledger
cp "$ALMONER_LEDGER" altered.db
cp -r "$ALMONER_LEDGER.attachments" altered.db.attachments
for f in altered.db.attachments/*; do printf 'INVOICE 2026-11 No.0042  ¥21,000.00\n' > "$f"; done
if almoner verify ledger --ledger altered.db; then
  echo "附件被改动未被发现——这不应该发生" >&2
  exit 1
else
  echo "  （退出码 $?：核验发现附件被改动）"
fi

step "22. 月内更正：上月的三处错误本月才发现，用 --date 记回上月，上月即可对账一致"
month_end=$(date -d "$(date +%Y-%m-01) -1 day" +%F)
m=${month_end%-*}
person+=([xfl-treasurer]=何静)
almoner key new --name 何静 --out keys/xfl-treasurer.pem >/dev/null
almoner unit add GA-BC-XFL --name 幸福里社区 --parent GA-BC --key keys/ga-admin.pem >/dev/null
grant GA-BC-XFL treasurer xfl-treasurer
xfl=(--key keys/xfl-treasurer.pem)
almoner donate --unit GA-BC-XFL --amount 3000 --donor 王五 --channel bank --ref "XFL-$m-01" \
  --date "$m-03" "${xfl[@]}" >/dev/null
almoner donate --unit GA-BC-XFL --amount 1200.50 --donor 李四 --channel wechat --ref "XFL-$m-02" \
  --date "$m-05" "${xfl[@]}" >/dev/null
echo "  同一微信单号再录一次，被拒绝："
almoner donate --unit GA-BC-XFL --amount 1200.50 --donor 李四 --channel wechat \
  --ref "XFL-$m-02" --date "$m-05" "${xfl[@]}" 2>&1 | sed 's/^/  /' || true
echo "  记账员误以为是另一笔，加 --allow-duplicate-ref 记了进去（这是要更正的错误之一）："
dup=$(almoner donate --unit GA-BC-XFL --amount 1200.50 --donor 李四 --channel wechat \
  --ref "XFL-$m-02" --date "$m-05" --allow-duplicate-ref "${xfl[@]}" --format json \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["seq"])')
almoner donate --unit GA-BC --amount 1000 --donor 北城商会 --named --channel bank --date "$m-01" \
  --key keys/bc-treasurer.pem >/dev/null
incoming=$(almoner allocate --from GA-BC --to GA-BC-XFL --amount 299 --date "$m-10" \
  --key keys/bc-treasurer.pem | sed -n 1p)
spend=$(request --unit GA-BC-XFL --amount 500 --payee 惠民超市 --purpose 老年食堂采购食材 \
  --date "$m-20" "${xfl[@]}")
almoner donate --unit GA-BC-XFL --amount 100 --donor 赵六 --channel bank "${xfl[@]}" >/dev/null
echo "  银行对账单 $month_end 余额：3,000 + 1,200.50 + 299 − 500 = ¥3,999.50；更正之前："
almoner reconcile --unit GA-BC-XFL --account bank --as-of "$month_end" --balance 3999.50 \
  "${xfl[@]}" 2>&1 | sed 's/^/  /' || true
echo "  还开着的：在途划拨、待审批的申请"
almoner allocate list --status in-transit --unit GA-BC-XFL
almoner disburse list --unit GA-BC-XFL --status pending --from "$m-01" --to "$month_end"
echo "  三处更正都记在上月（本月已有收支，这些仍可倒记）："
almoner reverse "$dup" --reason 重复录入 --date "$m-06" "${xfl[@]}"
almoner allocate confirm "$incoming" --date "$m-12" "${xfl[@]}"
almoner disburse approve "$spend" --date "$m-21" --key keys/bc-approver.pem
almoner disburse pay "$spend" --date "$m-22" "${xfl[@]}"
echo "  倒记的付款若使其后某日余额为负，被拒绝并指出那一天："
big=$(request --unit GA-BC-XFL --amount 3500 --payee 惠民超市 --purpose 助餐设备 --date "$m-04" "${xfl[@]}")
almoner disburse approve "$big" --date "$m-04" --key keys/bc-approver.pem >/dev/null
almoner disburse pay "$big" --date "$m-04" "${xfl[@]}" 2>&1 | sed 's/^/  /' || true
almoner disburse cancel "$big" --reason 改到本月再付 "${xfl[@]}" >/dev/null
almoner reconcile --unit GA-BC-XFL --account bank --as-of "$month_end" --balance 3999.50 "${xfl[@]}"
almoner balance --unit GA-BC-XFL --from "$m-01" --to "$month_end"
almoner journal --unit GA-BC-XFL --from "$m-01"
almoner journal --kind reversal --signer 何静
almoner fund list --unit GA-BC
almoner verify ledger | head -1

step "23. 导出给会计：hledger 与 beancount 读出的余额和账本一致"
almoner export hledger --out guangan.journal
almoner export beancount --out guangan.beancount
almoner export csv --out guangan.csv
bean-check guangan.beancount
hledger -f guangan.journal --strict bal --flat --no-total -O csv > hledger-bal.csv
bean-query -f csv guangan.beancount "SELECT account, sum(position) GROUP BY account" > bean-bal.csv
for unit in $(almoner unit list --format json | python3 -c 'import json,sys; print(" ".join(u["code"] for u in json.load(sys.stdin)))'); do
  almoner balance --unit "$unit" --format json
done > almoner-bal.jsonl
python3 - <<'PY'
import csv, json
def fen(text):
    text = text.strip().removesuffix("CNY").strip()
    if not text:
        return 0
    sign = -1 if text.startswith("-") else 1
    whole, _, cents = text.lstrip("-").partition(".")
    return sign * (int(whole) * 100 + int((cents + "00")[:2]))
def table(path):
    with open(path, newline="") as f:
        rows = {row[0].strip(): fen(row[1]) for row in list(csv.reader(f))[1:]}
    return {account: amount for account, amount in rows.items() if amount != 0}
hledger, bean = table("hledger-bal.csv"), table("bean-bal.csv")
types = {"assets": "Assets", "income": "Income", "expenses": "Expenses", "net-assets": "Equity"}
special = {"wechat": "WeChat"}
def name(unit, fund, account):
    kind, *rest = account.split(":")
    fund = "-".join(w.capitalize() for w in fund.split("-"))
    rest = [special.get(p, "".join(w.capitalize() for w in p.split("-"))) for p in rest]
    return ":".join([types[kind], unit, fund] + rest)
rows, same = [], 0
for line in open("almoner-bal.jsonl"):
    report = json.loads(line)
    for item in report["own"]:
        raw = item["amountFen"] if item["account"].split(":")[0] in ("assets", "expenses") else -item["amountFen"]
        account = name(report["unit"], item["fund"], item["account"])
        ok = hledger.get(account, 0) == raw == bean.get(account, 0)
        same += ok
        if account.startswith("Assets:") or not ok:
            rows.append((account, raw, hledger.get(account, 0), bean.get(account, 0), "一致" if ok else "不一致！"))
y = lambda f: ("-" if f < 0 else "") + f"{abs(f) // 100:,}.{abs(f) % 100:02d}"
print(f"  {'账户':<34}{'almoner':>14}{'hledger':>14}{'beancount':>14}")
for account, a, h, b, mark in rows:
    print(f"  {account:<36}{y(a):>14}{y(h):>14}{y(b):>14}  {mark}")
total = sum(1 for line in open("almoner-bal.jsonl") for _ in json.loads(line)["own"])
print(f"  全部 {total} 个有余额的账户中 {same} 个三方一致（上表列出资产账户）")
if same != total or len(hledger) != total or len(bean) != total:
    raise SystemExit("导出的余额与账本不一致")
PY

step "24. 监督审计：北城街道监督员郑华审计本街道及下辖社区 10 月以来的账，签名记入账本，并作说明"
echo "  先在幸福里社区埋下几处问题：今天向同一收款人三笔 ¥4,900（每笔都在 ¥5,000 街道审批线以下），"
echo "  以及一个已入账的微信单号再次入账（加了 --allow-duplicate-ref）："
for _ in 1 2 3; do
  request --unit GA-BC-XFL --amount 4900 --payee 惠民超市 --purpose 老年食堂采购食材 \
    "${xfl[@]}" >/dev/null
done
almoner donate --unit GA-BC-XFL --amount 88 --donor 孙七 --channel wechat --ref "XFL-$m-01" \
  --allow-duplicate-ref "${xfl[@]}" >/dev/null
almoner audit --rules | head -12
status=0
almoner audit --unit GA-BC --from 2026-10-01 --record \
  --key keys/bc-supervisor.pem | tee audit.txt || status=$?
echo "  （退出码 $status：0 未发现问题，1 有发现，须逐项核实）"
audit_seq=$(sed -n 's/^已记入账本：记录 #\([0-9]*\).*/\1/p' audit.txt)
almoner audit note "$audit_seq" --text "拆分申请已退回幸福里社区合并重报；重复单号系误录，已要求冲销" \
  --key keys/bc-supervisor.pem
almoner audit --unit GA-BC --format json > audit.json || true
echo "  JSON 报告（Schemas/json/audit.schema.json）：audit.json"
echo "  在第 15 步的篡改副本上审计建设路社区（记录 #100 的金额被改）："
almoner audit --ledger tampered.db --unit GA-BC-JSL 2>&1 | sed 's/^/  /' || true

printf '\n演示完成。账本：%s\n' "$ALMONER_LEDGER"
