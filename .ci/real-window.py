#!/usr/bin/env python3
"""The real-window test: the desktop app in a real GLFW window under Xvfb,
driven with the mouse and keyboard by xdotool, as a person uses it.

  .ci/real-window.py APP WORKDIR scenario   log a 12345 appeal with the mouse
                                          (分类 and 楼号 picked from their
                                          drop-downs), walk it to 销号, quit,
                                          and check `casebook case show --json`
  .ci/real-window.py APP WORKDIR monkey SEED N
                                          N random clicks, keys and short texts
                                          at 1366×768 and at 1024×640; the app
                                          stays alive, catches no panic, and
                                          `casebook check` passes afterwards

APP is cmd/casebook built with -tags probe: with CASEBOOK_UI_PROBE=FILE it
writes where its widgets are (labels, button texts, pop-up items, the
rectangles of entries; never what was typed), so that this script finds the
▼ of 分类 wherever the layout puts it. Texts are looked up in the zh-Hans
catalogue by their message IDs. Every wait is bounded; the whole run takes a
few minutes at most.
"""
import json, os, random, signal, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ZH = json.load(open(os.path.join(ROOT, 'assets', 'translations', 'zh-Hans.json'), encoding='utf-8'))


def T(key):
    return ZH[key]


class Fail(Exception):
    pass


class Window:
    """The app under Xvfb at a screen size, with its probe file."""

    def __init__(self, app, workdir, db, size, env_extra=None):
        self.app, self.workdir, self.db = app, workdir, db
        self.probe_path = os.path.join(workdir, 'probe.json')
        self.log_path = os.path.join(workdir, 'app-%s.log' % size)
        for p in (self.probe_path,):
            if os.path.exists(p):
                os.remove(p)
        r, w = os.pipe()
        self.xvfb = subprocess.Popen(['Xvfb', '-displayfd', str(w), '-screen', '0', size + 'x24', '-nolisten', 'tcp'],
                                     pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(w)
        num = b''
        while not num.endswith(b'\n'):
            chunk = os.read(r, 16)
            if not chunk:
                break
            num += chunk
        num = num.decode().strip()
        os.close(r)
        if not num:
            raise Fail('Xvfb did not start')
        self.display = ':' + num
        home = os.path.join(workdir, 'home-' + size)  # fresh preferences: first-start window size
        os.makedirs(home, exist_ok=True)
        env = dict(os.environ, DISPLAY=self.display, HOME=home, XDG_CONFIG_HOME=os.path.join(home, '.config'),
                   LANG='C.UTF-8', LANGUAGE='en', FYNE_SCALE='1', CASEBOOK_UI_PROBE=self.probe_path)
        env.update(env_extra or {})
        self.env = env
        self.log = open(self.log_path, 'w')
        self.proc = subprocess.Popen([app, '--db', db], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.wait(lambda p: p['items'], 'the window to draw', 30)
        self.win = self.xdo('search', '--sync', '--onlyvisible', '--pid', str(self.proc.pid)).split()[0]
        geo = self.xdo('getwindowgeometry', '--shell', self.win)
        g = dict(l.split('=') for l in geo.split())
        self.ox, self.oy = int(g['X']), int(g['Y'])
        self.w, self.h = int(g['WIDTH']), int(g['HEIGHT'])

    def xdo(self, *args):
        out = subprocess.run(['xdotool'] + list(args), env=dict(os.environ, DISPLAY=self.display),
                             capture_output=True, text=True, timeout=20)
        if out.returncode != 0:
            raise Fail('xdotool %s: %s' % (' '.join(args), out.stderr.strip()))
        return out.stdout

    def alive(self):
        return self.proc.poll() is None

    def check_alive(self, what):
        if not self.alive():
            raise Fail('the app died %s (exit %s); its log:\n%s' % (what, self.proc.returncode, open(self.log_path).read()[-4000:]))
        self.log.flush()
        if 'caught a panic' in open(self.log_path).read():
            raise Fail('a panic was caught %s; the log:\n%s' % (what, open(self.log_path).read()[-4000:]))

    def probe(self):
        for _ in range(40):
            try:
                with open(self.probe_path, encoding='utf-8') as f:
                    return json.load(f)
            except (OSError, ValueError):
                time.sleep(0.1)
        raise Fail('no probe file')

    def wait(self, pred, what, timeout=10):
        end = time.time() + timeout
        while time.time() < end:
            if self.proc.poll() is not None:
                raise Fail('the app exited while waiting for %s; log:\n%s' % (what, open(self.log_path).read()[-4000:]))
            try:
                p = self.probe()
                got = pred(p)
                if got:
                    return got
            except Fail:
                pass
            time.sleep(0.25)
        raise Fail('timed out waiting for %s' % what)

    def find(self, kind=None, text=None, field=None, top=False):
        """The items matching, in the top layer first; waits for one."""
        def pred(p):
            items = [i for i in p['items'] if (kind is None or i['kind'] == kind) and (text is None or i['text'] == text)
                     and (field is None or i['field'] == field) and i['w'] > 0 and i['h'] > 0]
            if top and items:
                hi = max(i['layer'] for i in p['items'])
                items = [i for i in items if i['layer'] == hi]
            # The top layer first; within it the smallest (a pop-up's row,
            # not the pop-up that holds it).
            items.sort(key=lambda i: (-i['layer'], i['w'] * i['h']))
            return items
        return self.wait(pred, '%s %r %s' % (kind or 'item', text, ('in ' + field) if field else ''))[0]

    def settle(self):
        """Waits for a probe written after now (the window has drawn what the
        last action did)."""
        seq = self.probe().get('seq', 0)
        self.wait(lambda p: p.get('seq', 0) > seq + 1, 'the window to draw')

    def click_at(self, x, y, button=1, settle=True):
        self.xdo('mousemove', str(int(self.ox + x)), str(int(self.oy + y)))
        time.sleep(0.05)
        self.xdo('click', str(button))
        time.sleep(0.1)
        if settle:
            self.settle()

    def bar_beside(self, it):
        """The scroll bar track right of an item, in its layer, if any: the
        item's scroll container shows what lies between its ends."""
        bars = [b for b in self.probe()['items'] if b['kind'] == 'tap' and b['text'].endswith('scrollBarArea')
                and b['x'] > it['x'] and b['h'] > b['w'] and b['layer'] == it['layer']]
        return min(bars, key=lambda b: b['x'] - it['x']) if bars else None

    def visible(self, it):
        top, bottom = 0, self.h - 4
        b = self.bar_beside(it)
        if b:
            top, bottom = b['y'], b['y'] + b['h']
        return it['y'] >= top - 1 and it['y'] + it['h'] <= bottom + 1

    def click(self, it, dx=None):
        x = it['x'] + (dx if dx is not None else it['w'] / 2)
        self.click_at(x, it['y'] + it['h'] / 2)

    def scroll_to(self, get, over=None):
        """Scrolls until get() is on screen, by clicking the track of the
        scroll bar beside it (the wheel does not reach GLFW under Xvfb)."""
        for _ in range(20):
            it = get()
            if self.visible(it):
                return it
            b = self.bar_beside(it)
            if not b:
                raise Fail('no scroll bar beside %r' % it)
            y = b['y'] + b['h'] - 3 if it['y'] > b['y'] else b['y'] + 3
            self.click_at(b['x'] + b['w'] / 2, y)
            time.sleep(0.4)
        raise Fail('could not scroll %r into view' % get())

    def type(self, text):
        """Types text: ASCII with the keyboard; anything else is pasted from
        the clipboard (xdotool's typing of Chinese drops characters under
        Xvfb, where a person would use an input method)."""
        if text.isascii():
            self.xdo('type', '--delay', '40', text)
        else:
            subprocess.run(['xclip', '-selection', 'clipboard'], input=text.encode(), timeout=10,
                           env=dict(os.environ, DISPLAY=self.display))
            self.key('ctrl+v')
        time.sleep(0.3)

    def key(self, *keys):
        self.xdo('key', *keys)
        time.sleep(0.1)

    def quit(self):
        """Quit with Ctrl+Q (台账 › 退出), which closes the window as its close
        button does; waits for the process to end."""
        self.key('Escape')  # a pop-up left open by the monkey
        self.key('ctrl+q')
        for _ in range(100):
            if not self.alive():
                if self.proc.returncode != 0:
                    raise Fail('the app exited with %d on Quit' % self.proc.returncode)
                return
            time.sleep(0.1)
        raise Fail('the app did not quit on Ctrl+Q')

    def shot(self, name):
        """A screenshot of the screen, for a person to look at."""
        path = os.path.join(self.workdir, name + '.png')
        subprocess.run(['import', '-window', 'root', path], env=dict(os.environ, DISPLAY=self.display),
                       capture_output=True, timeout=20)
        return path

    def close(self):
        for p in (self.proc, self.xvfb):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    p.kill()
        self.log.close()


def cli(app, *args):
    out = subprocess.run([app] + list(args), capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, LANG='C.UTF-8', LANGUAGE='en'))
    if out.returncode != 0:
        raise Fail('casebook %s: %s' % (' '.join(args), out.stderr.strip()))
    return out.stdout


def pick_from_dropdown(win, field, option):
    """Clicks the ▼ at the right end of a pick-list box, then the option."""
    box = win.find('pick', field=field)
    win.click(box, dx=box['w'] - 16)
    item = win.find('item', option, top=True)
    if not win.visible(item):
        item = win.scroll_to(lambda: win.find('item', option, top=True), item)
    win.click(item)


def entry(win, field, text, form=None):
    """Clicks into the box of a form's field (scrolling it into view) and
    types; the box must have the focus before a key is sent."""
    for _ in range(3):
        e = win.find('entry', field=field)
        if not win.visible(e):
            e = win.scroll_to(lambda: win.find('entry', field=field), form or e)
        win.click(e)
        if win.find('entry', field=field)['focus']:
            win.type(text)
            return
    raise Fail('the %s box does not take the focus' % field)


def step(win, action_key, fill=None, ok_key='step.ok'):
    win.click(win.find('button', T(action_key)))
    win.find('button', T(ok_key), top=True)
    if fill:
        fill()
    win.click(win.find('button', T(ok_key), top=True))
    # The dialog closes and the case view is built again with the new status.
    win.wait(lambda p: not any(i['text'] == T(ok_key) for i in p['items']), 'the %s dialog to close' % T(action_key))
    win.check_alive('after ' + T(action_key))


def scenario(app, workdir):
    db = os.path.join(workdir, 'scenario.db')
    cli(app, 'demo', '--db', db)
    win = Window(app, workdir, db, '1366x768', {'CASEBOOK_START_SECTION': 'new'})
    try:
        if win.w > 1366 or win.h > 768 - 40:
            raise Fail('the window (%d×%d) does not fit a 1366×768 screen with its taskbar' % (win.w, win.h))
        win.find('label', T('form.title'))
        form = win.find('label', T('field.received'))
        time.sleep(1)  # the first frames settle
        # 受理渠道: the drop-down, 12345派单.
        ch = win.find('select', field=T('field.channel'))
        win.click(ch)
        win.click(win.find('item', T('channel.12345'), top=True))
        entry(win, T('field.workorder'), '2026120212345678', form)
        pick_from_dropdown(win, T('field.category'), '停车管理')
        pick_from_dropdown(win, T('field.building'), '14号楼')
        entry(win, T('field.summary'), '东门机动车占用消防通道', form)
        entry(win, T('field.complainant'), '张先生', form)
        entry(win, T('field.phone'), '13812345678', form)
        win.shot('scenario-form')
        win.click(win.find('button', T('form.save')))
        # The case view: walk the loop with the mouse.
        win.find('button', T('action.respond'))
        step(win, 'action.respond')
        step(win, 'action.dispatch', lambda: (win.click(win.find('pick', top=True)), win.type('物业公司')))
        step(win, 'action.resolve', lambda: (win.click(win.find('entry', field=T('field.note'), top=True)), win.type('已清理')))
        step(win, 'action.feedback')

        def evaluate():
            for field, option in ((T('field.solved'), T('solved.yes')), (T('field.satisfaction'), T('satisfaction.satisfied'))):
                win.click(win.find('select', field=field, top=True))
                win.click(win.find('item', option, top=True))
        step(win, 'action.evaluate', evaluate)
        step(win, 'action.close', ok_key='step.close.ok')
        win.find('label', T('status.closed'))
        win.shot('scenario-closed')
        win.quit()
    except Fail:
        print('screenshot at failure: ' + win.shot('scenario-failure'), file=sys.stderr)
        raise
    finally:
        win.close()
    listed = [c for c in json.loads(cli(app, 'case', 'list', '--db', db, '--json')) if c.get('workorder') == '2026120212345678']
    if len(listed) != 1:
        raise Fail('%d appeals with the work order typed' % len(listed))
    got = json.loads(cli(app, 'case', 'show', '--db', db, '--id', listed[0]['number'], '--json'))
    want = {'channel': '12345', 'workorder': '2026120212345678', 'category': '停车管理', 'building': '14号楼',
            'summary': '东门机动车占用消防通道', 'complainant': '张先生', 'phone': '13812345678', 'status': 'closed'}
    fields = dict(got.get('fields', {}))
    fields.update({k: got[k] for k in ('status',) if k in got})
    bad = {k: (fields.get(k), v) for k, v in want.items() if fields.get(k) != v}
    if bad:
        raise Fail('the appeal as stored differs from what was entered (got, want): %r\n%s' % (bad, json.dumps(got, ensure_ascii=False)[:2000]))
    steps = [e.get('action') for e in got.get('timeline', [])]
    for a in ('receive', 'respond', 'dispatch', 'resolve', 'feedback', 'evaluate', 'close'):
        if a not in steps:
            raise Fail('the timeline lacks %s: %r' % (a, steps))
    print('real-window scenario: OK — a 12345 appeal logged with the mouse and walked to 销号; case show matches')


def monkey(app, workdir, seed, n):
    rnd = random.Random(seed)
    db = os.path.join(workdir, 'monkey.db')
    cli(app, 'demo', '--db', db)
    texts = ['漏水', '14', 'abc', '2026-03-02 14:30', '😀', '13812345678', '   ', '第3版', '1-30', '0.86']
    keys = ['Tab', 'Return', 'Escape', 'BackSpace', 'Down', 'Up', 'ctrl+n', 'ctrl+f', 'ctrl+1', 'ctrl+2', 'ctrl+3',
            'ctrl+4', 'ctrl+5', 'ctrl+6', 'ctrl+z', 'space']
    for size in ('1366x768', '1024x640'):
        win = Window(app, workdir, db, size)
        try:
            for i in range(n):
                r = rnd.random()
                what = ''
                if r < 0.6:
                    # Anywhere in the window but the menu bar (its Quit
                    # would end the run, not crash it).
                    x, y = rnd.randrange(0, win.w), rnd.randrange(32, win.h)
                    what = 'click %d,%d' % (x, y)
                    win.click_at(x, y, rnd.choice([1, 1, 1, 4, 5]), settle=False)
                elif r < 0.85:
                    k = rnd.choice(keys)
                    what = 'key ' + k
                    win.key(k)
                else:
                    t = rnd.choice(texts)
                    what = 'type %r' % t
                    win.type(t)
                win.check_alive('after action %d (%s) at %s, seed %d' % (i, what, size, seed))
            win.quit()
        finally:
            win.close()
        out = cli(app, 'check', '--db', db)
        print('monkey %s: %d actions, seed %d: alive; casebook check: %s' % (size, n, seed, out.strip().splitlines()[-1] if out.strip() else 'ok'))


def main():
    app, workdir, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(workdir, exist_ok=True)
    try:
        if mode == 'scenario':
            scenario(app, workdir)
        else:
            monkey(app, workdir, int(sys.argv[4]), int(sys.argv[5]))
    except Fail as e:
        print('real-window %s: FAIL: %s' % (mode, e), file=sys.stderr)
        sys.exit(1)


if __name__ == '__main__':
    main()
