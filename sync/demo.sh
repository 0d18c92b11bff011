#!/usr/bin/env bash
# Watch sync work on loopback: a district hub and two casebooks of one
# community (the governance secretary's and the party secretary's), both
# editing offline — the same field of the same case included — then
# syncing and converging, with the conflict shown on both; then a 12345
# work order pushed down from the district and the roll-up workbook.
#
#   bash sync/demo.sh            (from the repository root; leaves files in a temp folder)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
echo "== working in $work"
go build -o "$work/casebook-district" ./cmd/casebook-district
go build -o "$work/demodev" ./sync/internal/demodev
hubdir="$work/hub"
port=${PORT:-8710}
url="http://127.0.0.1:$port"
D="$work/casebook-district"
dev="$work/demodev"

echo "== enroll two devices of 示例社区 and a district reader (hub not running yet)"
tokA=$($D enroll --data "$hubdir" --community 示例社区 --note 治理书记)
tokB=$($D enroll --data "$hubdir" --community 示例社区 --note 党委书记)
tokR=$($D enroll --data "$hubdir" --community 示例社区 --read-only --note 组织部)
$D tokens --data "$hubdir"

echo "== start the hub on $url"
$D serve --data "$hubdir" --addr "127.0.0.1:$port" 2>"$work/hub.log" &
hubpid=$!
trap 'kill $hubpid 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "$url/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -s "$url/healthz"

echo "== device A: a casebook with 300 demo appeals; first sync"
$dev new --db "$work/a.db" --cases 300
$dev sync --db "$work/a.db" --hub "$url" --token "$tokA"
echo "== device B: a new, empty casebook takes the community and pulls everything"
$dev new --db "$work/b.db"
$dev sync --db "$work/b.db" --hub "$url" --token "$tokB"
$dev status --db "$work/b.db"

echo "== offline on both: new appeals, and both change the handler of the same case"
$dev edit --db "$work/a.db" --summary "A：楼道灯不亮" --handler 张网格
$dev edit --db "$work/b.db" --summary "B：垃圾清运不及时" --handler 李物业
$dev status --db "$work/a.db"

echo "== sync B, then A, then B: they converge, and both show 1 conflict to review"
$dev sync --db "$work/b.db" --hub "$url" --token "$tokB"
$dev sync --db "$work/a.db" --hub "$url" --token "$tokA"
$dev sync --db "$work/b.db" --hub "$url" --token "$tokB"
$dev status --db "$work/a.db"
$dev status --db "$work/b.db"

echo "== the district pushes down a 12345 work order (needs a sheet: set SHEET=path.xlsx to try)"
if [ -n "${SHEET:-}" ]; then
  $D dispatch --data "$hubdir" --community 示例社区 "$SHEET"
  $dev sync --db "$work/a.db" --hub "$url" --token "$tokA"
fi

echo "== the reader pulls, cannot write; then the roll-up workbook (through the running hub)"
$dev new --db "$work/r.db"
$dev sync --db "$work/r.db" --hub "$url" --token "$tokR"
$D export --data "$hubdir" --out "$work/rollup.xlsx"

echo "== revoke device B: its next sync is refused"
$D revoke --data "$hubdir" "$tokB"
$dev sync --db "$work/b.db" --hub "$url" --token "$tokB" || echo "(refused, as it should be)"

echo "== hub log (no personal data):"
tail -n 12 "$work/hub.log"
echo "== done; files in $work"
