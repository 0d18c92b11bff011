# Part of .ci/release-check (sourced in its own mount namespace, as root):
# the amd64 .deb and the amd64 hub on a clean Debian 12.
#   ARGS: ROOT DIST VERSION APT-CACHE OUT
root=$1 dist=$2 version=$3 aptcache=$4 out=$5
ch() { chroot "$root" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  HOME=/root LANG=C.UTF-8 LANGUAGE=en DEBIAN_FRONTEND=noninteractive ${DISPLAY:+DISPLAY=$DISPLAY} "$@"; }

mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mount -t tmpfs shm "$root/dev/shm"
mkdir -p "$root/tmp/.X11-unix"
mount --bind /tmp/.X11-unix "$root/tmp/.X11-unix"
mount --bind "$aptcache" "$root/var/cache/apt/archives"
cp /etc/resolv.conf "$root/etc/resolv.conf"

debs=("$dist"/casebook_*_amd64.deb)
deb=${debs[0]}
cp "$deb" "$root/tmp/casebook.deb"

echo "--- dpkg -i on the clean system: it must stop at the missing libraries, then apt brings them"
ch apt-get update -qq
if ch dpkg -i /tmp/casebook.deb >"$root/tmp/dpkg.log" 2>&1; then
  die "dpkg -i succeeded on a system without X11 and GL: the Depends are missing"
fi
grep -E 'depends on (libgl1|libx11)' "$root/tmp/dpkg.log" || { cat "$root/tmp/dpkg.log"; die "dpkg -i failed for another reason"; }
ch apt-get -f install -y -qq >/dev/null
ch dpkg-query -W -f='${Package} ${Version} ${Status}\n' casebook | grep 'install ok installed' ||
  die "casebook is not installed"
[ "$(ch sh -c 'command -v casebook')" = /usr/bin/casebook ] || die "casebook is not on the PATH"
desktop-file-validate "$root/usr/share/applications/org.casebook.app.desktop"
[ -s "$root/usr/share/icons/hicolor/256x256/apps/org.casebook.app.png" ] || die "no icon"
echo "ok: installed; casebook on the PATH; desktop entry valid; icon in place"

expect_version casebook ch casebook
ch casebook demo
ch casebook metrics --json | python3 -c 'import json,sys; m=json.load(sys.stdin); assert m["cases"] == 1200, m; print("ok: metrics:", m["cases"], "appeals")'
ch casebook export --out /root/ledger.xlsx
check_workbook "$root/root/ledger.xlsx"

echo "--- the window under Xvfb (the chroot's own libraries, apt's Mesa)"
SMOKE_OUT=$out/deb-amd64-window.png "$repo/.ci/window-smoke.sh" \
  chroot "$root" env HOME=/root LANG=C.UTF-8 LANGUAGE=en PATH=/usr/bin:/bin casebook

echo "--- the hub, installed as its INSTALL.txt says, run as its unit says"
name=casebook-district-$version-linux-amd64
tar -C "$root/tmp" -xzf "$dist/$name.tar.gz"
ch install -m 0755 "/tmp/$name/casebook-district" /usr/local/bin/
ch install -m 0644 "/tmp/$name/casebook-district.service" /etc/systemd/system/
ch useradd --system --home-dir /var/lib/casebook-district --shell /usr/sbin/nologin casebook-district
ch install -d -m 0700 -o casebook-district -g casebook-district /var/lib/casebook-district
unit=$root/etc/systemd/system/casebook-district.service
key() { sed -n "s/^$1=//p" "$unit" | tail -n 1; }
user=$(key User) group=$(key Group) rw=$(key ReadWritePaths) exec_start=$(key ExecStart)
[ "$(key ProtectSystem)" = strict ] && [ "$(key Restart)" = on-failure ] && [ -n "$rw" ] ||
  die "the unit lacks ProtectSystem=strict, Restart=on-failure or ReadWritePaths"
# The unit's command line, but on a free loopback port instead of every
# address (nothing here may listen beyond loopback).
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
read -r -a argv <<<"$exec_start"
for i in "${!argv[@]}"; do
  [ "${argv[$i]}" = --addr ] && argv[i+1]=127.0.0.1:$port
done
echo "running: ${argv[*]} as $user:$group, / read-only but $rw, private /tmp"
# ProtectSystem=strict + ReadWritePaths + PrivateTmp + NoNewPrivileges and a
# clean environment, by hand: the whole tree bound read-only in a mount
# namespace of its own, the data folder bound writable, a private /tmp.
uid=$(ch id -u "$user") gid=$(ch getent group "$group" | cut -d: -f3)
sandbox='r=$1 rw=$2 uid=$3 gid=$4; shift 4
  mount --rbind "$r" "$r"
  mount --bind "$r$rw" "$r$rw"
  mount -o remount,bind,ro "$r"
  mount -t tmpfs tmpfs "$r/tmp"
  exec chroot "$r" setpriv --reuid="$uid" --regid="$gid" --clear-groups --no-new-privs \
    env -i PATH=/usr/local/bin:/usr/bin:/bin "$@"'
# unshare, sh, chroot, setpriv and env each exec the next: the background
# job's pid is the hub's own, as systemd's main pid would be.
as_unit=(unshare --mount --propagation private sh -ec "$sandbox" sh "$root" "$rw" "$uid" "$gid")
"${as_unit[@]}" "${argv[@]}" 2>"$out/hub.log" &
hub=$!
url=http://127.0.0.1:$port
for _ in $(seq 100); do curl -sf "$url/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "$url/healthz" >/dev/null || { cat "$out/hub.log"; die "the hub did not come up"; }
"${as_unit[@]}" touch /var/tmp/x 2>/dev/null && die "the sandbox lets the hub's user write outside $rw"
tokA=$("${as_unit[@]}" /usr/local/bin/casebook-district enroll --data "$rw" --community 示例社区)
tokB=$("${as_unit[@]}" /usr/local/bin/casebook-district enroll --data "$rw" --community 示例社区)
ch casebook sync --hub "$url" --token "$tokA"
ch casebook sync --db /root/second.db --hub "$url" --token "$tokB"
cases() { ch casebook metrics "$@" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["cases"])'; }
a=$(cases) b=$(cases --db /root/second.db)
[ "$a" -gt 0 ] && [ "$a" = "$b" ] || die "after sync the second device has $b appeals, the first $a"
ls -l "$root$rw"
kill -TERM "$hub"
wait "$hub" || die "the hub did not stop cleanly on SIGTERM (see $out/hub.log)"
echo "ok: the hub ran as $user with only $rw writable; device A pushed, device B pulled the same $a appeals; stopped on SIGTERM"

echo "--- dpkg -r removes every file of the package and leaves the casebook"
files=$(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print substr($6, 2)}')
ch dpkg -r casebook >/dev/null
for f in $files; do
  [ ! -e "$root$f" ] || die "dpkg -r left $f"
done
ch dpkg-query -W -f='${Status}\n' casebook 2>/dev/null | grep -q 'install ok installed' && die "still installed"
[ -s "$root/root/.config/casebook/casebook.db" ] || die "the casebook went with the package"
echo "ok: removed ($(wc -w <<<"$files") files gone); ~/.config/casebook/casebook.db kept"
