// sessionvault player: replays an asciicast v2 terminal recording into a <pre>, with
// its timing, play/pause, speed (1x/2x/4x) and a seek bar. No dependencies, nothing
// from the network but the recording itself.
//
// The page holds `<section class="player" data-src="...">` with the controls inside;
// this script finds it, fetches the recording and plays it. The recording is untrusted
// text: it reaches the page only through textContent, never as markup.
(function () {
  'use strict';

  // ---------------------------------------------------------------- terminal ----

  var DEFAULT_STYLE = Object.freeze({
    fg: null, bg: null, bold: false, dim: false, italic: false, underline: false, inverse: false
  });

  function blankCell(style) {
    return { ch: ' ', style: style || DEFAULT_STYLE };
  }

  function blankLine(cols, style) {
    var line = new Array(cols);
    for (var i = 0; i < cols; i++) line[i] = blankCell(style);
    return line;
  }

  function withStyle(style, changes) {
    var next = {};
    for (var k in style) next[k] = style[k];
    for (var c in changes) next[c] = changes[c];
    return Object.freeze(next);
  }

  // A screen of cols x rows cells fed with the bytes a program wrote to its terminal.
  // It understands what recordings of shells and common tools use: printable text with
  // wrapping, CR, LF, backspace, tab, SGR colours and attributes, cursor movement,
  // erase in line/display, insert/delete, scroll regions and the alternate screen.
  // Other sequences are recognised and skipped, so they never show up as garbage.
  function Terminal(cols, rows) {
    this.cols = Math.max(1, cols | 0);
    this.rows = Math.max(1, rows | 0);
    this.reset();
  }

  Terminal.prototype.reset = function () {
    this.lines = [];
    for (var i = 0; i < this.rows; i++) this.lines.push(blankLine(this.cols));
    this.x = 0;
    this.y = 0;
    this.wrapPending = false;
    this.style = DEFAULT_STYLE;
    this.saved = { x: 0, y: 0, style: DEFAULT_STYLE };
    this.top = 0;
    this.bottom = this.rows - 1;
    this.cursorVisible = true;
    this.mainScreen = null;
    this.state = 'ground';
    this.seq = '';
  };

  Terminal.prototype.resize = function (cols, rows) {
    cols = Math.max(1, cols | 0);
    rows = Math.max(1, rows | 0);
    while (this.lines.length > rows) {
      // Drop lines above the cursor first, as a terminal scrolling would.
      if (this.y > 0) { this.lines.shift(); this.y--; } else { this.lines.pop(); }
    }
    while (this.lines.length < rows) this.lines.push(blankLine(cols));
    for (var i = 0; i < rows; i++) {
      var line = this.lines[i];
      if (line.length > cols) line.length = cols;
      while (line.length < cols) line.push(blankCell());
    }
    this.cols = cols;
    this.rows = rows;
    this.top = 0;
    this.bottom = rows - 1;
    this.x = Math.min(this.x, cols - 1);
    this.y = Math.min(this.y, rows - 1);
    this.wrapPending = false;
  };

  Terminal.prototype.write = function (text) {
    for (var ch of text) {
      var code = ch.codePointAt(0);
      switch (this.state) {
        case 'ground': this.ground(ch, code); break;
        case 'esc': this.escape(ch, code); break;
        case 'csi': this.csiByte(ch, code); break;
        case 'string':
          // OSC, DCS, APC, PM, SOS: skipped up to BEL or ST (ESC \).
          if (code === 0x07) this.state = 'ground';
          else if (code === 0x1b) this.state = 'string-esc';
          break;
        case 'string-esc': this.state = ch === '\\' ? 'ground' : 'string'; break;
        case 'charset': this.state = 'ground'; break;
      }
    }
  };

  Terminal.prototype.ground = function (ch, code) {
    if (code === 0x1b) { this.state = 'esc'; return; }
    if (code < 0x20 || code === 0x7f) { this.control(code); return; }
    if (code >= 0x80 && code < 0xa0) return;
    this.print(ch);
  };

  Terminal.prototype.control = function (code) {
    switch (code) {
      case 0x08: // BS
        if (this.x > 0) this.x--;
        this.wrapPending = false;
        break;
      case 0x09: // TAB
        this.x = Math.min(this.cols - 1, (Math.floor(this.x / 8) + 1) * 8);
        this.wrapPending = false;
        break;
      case 0x0a: case 0x0b: case 0x0c: // LF, VT, FF
        this.lineFeed();
        break;
      case 0x0d: // CR
        this.x = 0;
        this.wrapPending = false;
        break;
      default: // BEL, NUL, SO/SI and the rest: nothing to show
        break;
    }
  };

  Terminal.prototype.print = function (ch) {
    if (this.wrapPending) {
      this.x = 0;
      this.lineFeed();
    }
    this.lines[this.y][this.x] = { ch: ch, style: this.style };
    if (this.x === this.cols - 1) this.wrapPending = true;
    else this.x++;
  };

  Terminal.prototype.lineFeed = function () {
    this.wrapPending = false;
    if (this.y === this.bottom) this.scrollUp(1);
    else if (this.y < this.rows - 1) this.y++;
  };

  Terminal.prototype.reverseIndex = function () {
    if (this.y === this.top) this.scrollDown(1);
    else if (this.y > 0) this.y--;
  };

  Terminal.prototype.scrollUp = function (n) {
    for (var i = 0; i < n; i++) {
      this.lines.splice(this.top, 1);
      this.lines.splice(this.bottom, 0, blankLine(this.cols, this.eraseStyle()));
    }
  };

  Terminal.prototype.scrollDown = function (n) {
    for (var i = 0; i < n; i++) {
      this.lines.splice(this.bottom, 1);
      this.lines.splice(this.top, 0, blankLine(this.cols, this.eraseStyle()));
    }
  };

  // Erased cells keep the current background, as xterm does.
  Terminal.prototype.eraseStyle = function () {
    return this.style.bg === null ? DEFAULT_STYLE : withStyle(DEFAULT_STYLE, { bg: this.style.bg });
  };

  Terminal.prototype.eraseCells = function (y, from, to) {
    var line = this.lines[y];
    var style = this.eraseStyle();
    for (var x = Math.max(0, from); x < Math.min(this.cols, to); x++) line[x] = blankCell(style);
  };

  Terminal.prototype.escape = function (ch) {
    this.state = 'ground';
    switch (ch) {
      case '[': this.state = 'csi'; this.seq = ''; break;
      case ']': case 'P': case '_': case '^': case 'X': this.state = 'string'; break;
      case '(': case ')': case '*': case '+': this.state = 'charset'; break;
      case '7': this.saveCursor(); break;
      case '8': this.restoreCursor(); break;
      case 'c': this.reset(); break;
      case 'D': this.lineFeed(); break;
      case 'E': this.x = 0; this.lineFeed(); break;
      case 'M': this.reverseIndex(); break;
      default: break; // '=', '>', and others: modes with nothing to show
    }
  };

  Terminal.prototype.csiByte = function (ch, code) {
    if (code >= 0x40 && code <= 0x7e) {
      this.state = 'ground';
      this.csi(this.seq, ch);
    } else if (code >= 0x20 && code <= 0x3f) {
      this.seq += ch;
      if (this.seq.length > 64) this.state = 'ground'; // not a real sequence
    } else if (code === 0x1b) {
      this.state = 'esc';
    } else if (code < 0x20) {
      this.control(code);
    } else {
      this.state = 'ground';
    }
  };

  Terminal.prototype.saveCursor = function () {
    this.saved = { x: this.x, y: this.y, style: this.style };
  };

  Terminal.prototype.restoreCursor = function () {
    this.x = Math.min(this.saved.x, this.cols - 1);
    this.y = Math.min(this.saved.y, this.rows - 1);
    this.style = this.saved.style;
    this.wrapPending = false;
  };

  Terminal.prototype.moveTo = function (x, y) {
    this.x = Math.max(0, Math.min(this.cols - 1, x));
    this.y = Math.max(0, Math.min(this.rows - 1, y));
    this.wrapPending = false;
  };

  Terminal.prototype.csi = function (seq, final) {
    var prefix = '';
    if (seq && '?>=<'.indexOf(seq[0]) >= 0) { prefix = seq[0]; seq = seq.slice(1); }
    var params = seq.split(';').map(function (p) { return p === '' ? NaN : parseInt(p, 10); });
    var n = isNaN(params[0]) || params[0] === 0 ? 1 : params[0];
    var arg0 = isNaN(params[0]) ? 0 : params[0];
    if (prefix === '?') { this.privateMode(params, final); return; }
    if (prefix) return;
    switch (final) {
      case 'm': this.sgr(params); break;
      case 'H': case 'f':
        this.moveTo((isNaN(params[1]) ? 1 : params[1]) - 1, (isNaN(params[0]) ? 1 : params[0]) - 1);
        break;
      case 'A': this.moveTo(this.x, this.y - n); break;
      case 'B': case 'e': this.moveTo(this.x, this.y + n); break;
      case 'C': case 'a': this.moveTo(this.x + n, this.y); break;
      case 'D': this.moveTo(this.x - n, this.y); break;
      case 'E': this.moveTo(0, this.y + n); break;
      case 'F': this.moveTo(0, this.y - n); break;
      case 'G': case '`': this.moveTo(n - 1, this.y); break;
      case 'd': this.moveTo(this.x, n - 1); break;
      case 'J': this.eraseDisplay(arg0); break;
      case 'K': this.eraseLine(arg0); break;
      case 'X': this.eraseCells(this.y, this.x, this.x + n); break;
      case 'P': this.deleteChars(n); break;
      case '@': this.insertChars(n); break;
      case 'L': this.insertLines(n); break;
      case 'M': this.deleteLines(n); break;
      case 'S': this.scrollUp(n); break;
      case 'T': this.scrollDown(n); break;
      case 'r': this.setScrollRegion(params); break;
      case 's': this.saveCursor(); break;
      case 'u': this.restoreCursor(); break;
      default: break;
    }
  };

  Terminal.prototype.eraseDisplay = function (mode) {
    var y;
    if (mode === 0) {
      this.eraseCells(this.y, this.x, this.cols);
      for (y = this.y + 1; y < this.rows; y++) this.eraseCells(y, 0, this.cols);
    } else if (mode === 1) {
      for (y = 0; y < this.y; y++) this.eraseCells(y, 0, this.cols);
      this.eraseCells(this.y, 0, this.x + 1);
    } else {
      for (y = 0; y < this.rows; y++) this.eraseCells(y, 0, this.cols);
    }
  };

  Terminal.prototype.eraseLine = function (mode) {
    if (mode === 0) this.eraseCells(this.y, this.x, this.cols);
    else if (mode === 1) this.eraseCells(this.y, 0, this.x + 1);
    else this.eraseCells(this.y, 0, this.cols);
  };

  Terminal.prototype.deleteChars = function (n) {
    var line = this.lines[this.y];
    n = Math.min(n, this.cols - this.x);
    line.splice(this.x, n);
    for (var i = 0; i < n; i++) line.push(blankCell(this.eraseStyle()));
  };

  Terminal.prototype.insertChars = function (n) {
    var line = this.lines[this.y];
    n = Math.min(n, this.cols - this.x);
    for (var i = 0; i < n; i++) line.splice(this.x, 0, blankCell(this.eraseStyle()));
    line.length = this.cols;
  };

  Terminal.prototype.insertLines = function (n) {
    if (this.y < this.top || this.y > this.bottom) return;
    for (var i = 0; i < n; i++) {
      this.lines.splice(this.bottom, 1);
      this.lines.splice(this.y, 0, blankLine(this.cols, this.eraseStyle()));
    }
    this.x = 0;
  };

  Terminal.prototype.deleteLines = function (n) {
    if (this.y < this.top || this.y > this.bottom) return;
    for (var i = 0; i < n; i++) {
      this.lines.splice(this.y, 1);
      this.lines.splice(this.bottom, 0, blankLine(this.cols, this.eraseStyle()));
    }
    this.x = 0;
  };

  Terminal.prototype.setScrollRegion = function (params) {
    var top = (isNaN(params[0]) ? 1 : params[0]) - 1;
    var bottom = (isNaN(params[1]) ? this.rows : params[1]) - 1;
    if (top < 0 || bottom >= this.rows || top >= bottom) { top = 0; bottom = this.rows - 1; }
    this.top = top;
    this.bottom = bottom;
    this.moveTo(0, 0);
  };

  Terminal.prototype.privateMode = function (params, final) {
    if (final !== 'h' && final !== 'l') return;
    var on = final === 'h';
    for (var i = 0; i < params.length; i++) {
      var mode = params[i];
      if (mode === 25) this.cursorVisible = on;
      if (mode === 47 || mode === 1047 || mode === 1049) this.alternateScreen(on, mode === 1049);
    }
  };

  Terminal.prototype.alternateScreen = function (on, saveCursor) {
    if (on && !this.mainScreen) {
      if (saveCursor) this.saveCursor();
      this.mainScreen = this.lines;
      this.lines = [];
      for (var i = 0; i < this.rows; i++) this.lines.push(blankLine(this.cols));
    } else if (!on && this.mainScreen) {
      this.lines = this.mainScreen;
      this.mainScreen = null;
      if (saveCursor) this.restoreCursor();
    }
  };

  Terminal.prototype.sgr = function (params) {
    var s = this.style;
    var changes = {};
    for (var i = 0; i < params.length; i++) {
      var p = isNaN(params[i]) ? 0 : params[i];
      if (p === 0) { s = DEFAULT_STYLE; changes = {}; }
      else if (p === 1) changes.bold = true;
      else if (p === 2) changes.dim = true;
      else if (p === 3) changes.italic = true;
      else if (p === 4) changes.underline = true;
      else if (p === 7) changes.inverse = true;
      else if (p === 22) { changes.bold = false; changes.dim = false; }
      else if (p === 23) changes.italic = false;
      else if (p === 24) changes.underline = false;
      else if (p === 27) changes.inverse = false;
      else if (p >= 30 && p <= 37) changes.fg = p - 30;
      else if (p === 39) changes.fg = null;
      else if (p >= 40 && p <= 47) changes.bg = p - 40;
      else if (p === 49) changes.bg = null;
      else if (p >= 90 && p <= 97) changes.fg = p - 90 + 8;
      else if (p >= 100 && p <= 107) changes.bg = p - 100 + 8;
      else if (p === 38 || p === 48) {
        var which = p === 38 ? 'fg' : 'bg';
        if (params[i + 1] === 5 && !isNaN(params[i + 2])) {
          changes[which] = Math.max(0, Math.min(255, params[i + 2]));
          i += 2;
        } else if (params[i + 1] === 2 && params.length >= i + 5) {
          changes[which] = rgb(params[i + 2], params[i + 3], params[i + 4]);
          i += 4;
        }
      }
    }
    this.style = withStyle(s, changes);
  };

  function clampByte(v) {
    return isNaN(v) ? 0 : Math.max(0, Math.min(255, v));
  }

  function rgb(r, g, b) {
    return 'rgb(' + clampByte(r) + ',' + clampByte(g) + ',' + clampByte(b) + ')';
  }

  // The xterm 256-colour palette beyond the 16 themed colours: a 6x6x6 cube, then grays.
  function paletteColour(n) {
    if (n >= 232) {
      var gray = 8 + (n - 232) * 10;
      return rgb(gray, gray, gray);
    }
    n -= 16;
    var level = function (v) { return v === 0 ? 0 : 55 + v * 40; };
    return rgb(level(Math.floor(n / 36)), level(Math.floor(n / 6) % 6), level(n % 6));
  }

  // ------------------------------------------------------------------ render ----

  // How one cell looks: CSS classes for the themed colours and attributes, inline
  // colours (set through the DOM, which the page's CSP allows) for the rest.
  function look(style, isCursor) {
    var fg = style.fg, bg = style.bg, classes = [];
    if (style.inverse !== isCursor) {
      var swap = fg;
      fg = bg === null ? 'bg' : bg;
      bg = swap === null ? 'fg' : swap;
    }
    var colour = {};
    [['fg', fg], ['bg', bg]].forEach(function (pair) {
      var v = pair[1];
      if (v === null) return;
      if (v === 'fg' || v === 'bg') classes.push(pair[0] + '-default-' + v);
      else if (typeof v === 'number' && v < 16) classes.push(pair[0] + '-' + v);
      else colour[pair[0]] = typeof v === 'number' ? paletteColour(v) : v;
    });
    if (style.bold) classes.push('bold');
    if (style.dim) classes.push('dim');
    if (style.italic) classes.push('italic');
    if (style.underline) classes.push('underline');
    return { className: classes.join(' '), fg: colour.fg || '', bg: colour.bg || '' };
  }

  function sameLook(a, b) {
    return a.className === b.className && a.fg === b.fg && a.bg === b.bg;
  }

  // Replaces the contents of `pre` with the screen: one text run per stretch of cells
  // that look alike, trailing blanks left out.
  Terminal.prototype.render = function (pre) {
    var fragment = document.createDocumentFragment();
    var plain = { className: '', fg: '', bg: '' };
    for (var y = 0; y < this.rows; y++) {
      var line = this.lines[y];
      var end = this.cols;
      while (end > 0 && line[end - 1].ch === ' ' && line[end - 1].style.bg === null &&
             !line[end - 1].style.inverse && !(this.cursorVisible && y === this.y && end - 1 === this.x)) {
        end--;
      }
      var run = '', runLook = plain;
      for (var x = 0; x < end; x++) {
        var cellLook = look(line[x].style, this.cursorVisible && y === this.y && x === this.x);
        if (!sameLook(cellLook, runLook)) {
          appendRun(fragment, run, runLook);
          run = '';
          runLook = cellLook;
        }
        run += line[x].ch;
      }
      appendRun(fragment, run, runLook);
      if (y < this.rows - 1) fragment.appendChild(document.createTextNode('\n'));
    }
    pre.replaceChildren(fragment);
  };

  function appendRun(parent, text, runLook) {
    if (!text) return;
    if (!runLook.className && !runLook.fg && !runLook.bg) {
      parent.appendChild(document.createTextNode(text));
      return;
    }
    var span = document.createElement('span');
    if (runLook.className) span.className = runLook.className;
    if (runLook.fg) span.style.color = runLook.fg;
    if (runLook.bg) span.style.backgroundColor = runLook.bg;
    span.textContent = text;
    parent.appendChild(span);
  }

  // -------------------------------------------------------------- recording ----

  // Parses asciicast v2 text: the header, then output and resize events in time order.
  // A long pause is shortened to the header's idle_time_limit, as asciinema does.
  function parseCast(text) {
    var lines = text.split('\n');
    var header = null, events = [], skipped = 0, last = 0, shifted = 0;
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i].trim();
      if (!line) continue;
      var value;
      try { value = JSON.parse(line); } catch (e) { skipped++; continue; }
      if (header === null) {
        if (!value || typeof value !== 'object' || Array.isArray(value) || value.version !== 2) {
          throw new Error('not an asciicast v2 recording');
        }
        header = value;
        continue;
      }
      if (!Array.isArray(value) || typeof value[0] !== 'number' || typeof value[2] !== 'string') {
        skipped++;
        continue;
      }
      var time = Math.max(value[0], last);
      var limit = header.idle_time_limit;
      if (typeof limit === 'number' && limit > 0 && time - last > limit) {
        shifted += time - last - limit;
      }
      last = time;
      if (value[1] === 'o') events.push({ t: time - shifted, data: value[2] });
      else if (value[1] === 'r') {
        var size = /^(\d+)x(\d+)$/.exec(value[2]);
        if (size) events.push({ t: time - shifted, resize: [+size[1], +size[2]] });
      }
    }
    if (header === null) throw new Error('the recording is empty');
    var duration = events.length ? events[events.length - 1].t : 0;
    return { header: header, events: events, duration: duration, skipped: skipped };
  }

  // ------------------------------------------------------------------ player ----

  function formatTime(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
    var ss = (s < 10 ? '0' : '') + s;
    return h ? h + ':' + (m < 10 ? '0' : '') + m + ':' + ss : m + ':' + ss;
  }

  // Longest wait between two screen updates, so the clock and seek bar keep moving
  // through a long pause.
  var MAX_TICK_MS = 250;

  function Player(root, cast) {
    this.root = root;
    this.cast = cast;
    this.pre = root.querySelector('.terminal');
    this.playButton = root.querySelector('.play');
    this.seekBar = root.querySelector('.seek');
    this.clock = root.querySelector('.clock');
    this.term = new Terminal(cast.header.width, cast.header.height);
    this.index = 0; // next event to apply
    this.position = 0; // seconds, when paused
    this.speed = 1;
    this.playing = false;
    this.timer = null;
    this.dragging = false;
    this.seekBar.max = String(cast.duration);
    this.seekBar.disabled = false;
    this.playButton.disabled = false;
    this.bind();
    this.show(0);
  }

  Player.prototype.bind = function () {
    var self = this;
    this.playButton.addEventListener('click', function () {
      if (self.playing) self.pause(); else self.play();
    });
    this.root.querySelectorAll('[data-speed]').forEach(function (button) {
      button.addEventListener('click', function () { self.chooseSpeed(button); });
    });
    this.seekBar.addEventListener('pointerdown', function () { self.dragging = true; });
    this.seekBar.addEventListener('pointerup', function () { self.dragging = false; });
    this.seekBar.addEventListener('input', function () { self.seek(parseFloat(self.seekBar.value)); });
    this.root.addEventListener('keydown', function (e) {
      if (e.key === ' ' && e.target.tagName !== 'BUTTON') {
        e.preventDefault();
        if (self.playing) self.pause(); else self.play();
      }
    });
  };

  // Plays at the speed of one of the speed buttons, and marks it.
  Player.prototype.chooseSpeed = function (button) {
    this.setSpeed(parseFloat(button.getAttribute('data-speed')));
    this.root.querySelectorAll('[data-speed]').forEach(function (b) {
      b.classList.toggle('active', b === button);
    });
  };

  // `#t=<seconds>&speed=<n>` in the page's address starts the player there and at that
  // speed (one of the buttons'). A fragment never leaves the browser.
  Player.prototype.applyFragment = function (hash) {
    var options = new URLSearchParams(hash.replace(/^#/, ''));
    var speed = this.root.querySelector('[data-speed="' + options.get('speed') + '"]');
    if (options.get('speed') && speed) this.chooseSpeed(speed);
    var start = parseFloat(options.get('t'));
    if (start > 0) this.seek(start);
  };

  Player.prototype.now = function () {
    if (!this.playing) return this.position;
    return Math.min(this.cast.duration,
      this.startPosition + (performance.now() - this.startWall) / 1000 * this.speed);
  };

  Player.prototype.play = function () {
    if (this.position >= this.cast.duration && this.index >= this.cast.events.length) this.seek(0);
    this.playing = true;
    this.startWall = performance.now();
    this.startPosition = this.position;
    this.playButton.textContent = 'Pause';
    this.tick();
  };

  Player.prototype.pause = function () {
    this.position = this.now();
    this.playing = false;
    clearTimeout(this.timer);
    this.playButton.textContent = 'Play';
  };

  Player.prototype.setSpeed = function (speed) {
    if (!(speed > 0)) return;
    this.position = this.now();
    this.startWall = performance.now();
    this.startPosition = this.position;
    this.speed = speed;
    if (this.playing) { clearTimeout(this.timer); this.tick(); }
  };

  // Applies the events up to `time`; going back starts again from a blank screen.
  Player.prototype.applyUntil = function (time) {
    var events = this.cast.events;
    while (this.index < events.length && events[this.index].t <= time) {
      var event = events[this.index++];
      if (event.resize) this.term.resize(event.resize[0], event.resize[1]);
      else this.term.write(event.data);
    }
  };

  Player.prototype.seek = function (time) {
    time = Math.max(0, Math.min(this.cast.duration, time || 0));
    if (this.index > 0 && this.cast.events[this.index - 1].t > time) {
      this.term = new Terminal(this.cast.header.width, this.cast.header.height);
      this.index = 0;
    }
    this.position = time;
    if (this.playing) {
      this.startWall = performance.now();
      this.startPosition = time;
    }
    this.show(time);
  };

  Player.prototype.show = function (time) {
    this.applyUntil(time);
    this.term.render(this.pre);
    if (!this.dragging) this.seekBar.value = String(time);
    this.clock.textContent = formatTime(time) + ' / ' + formatTime(this.cast.duration);
  };

  Player.prototype.tick = function () {
    var self = this;
    clearTimeout(this.timer);
    var time = this.now();
    this.show(time);
    var events = this.cast.events;
    if (this.index >= events.length) {
      this.position = this.cast.duration;
      this.playing = false;
      this.playButton.textContent = 'Replay';
      this.show(this.position);
      return;
    }
    var wait = (events[this.index].t - time) / this.speed * 1000;
    this.timer = setTimeout(function () { self.tick(); }, Math.max(0, Math.min(MAX_TICK_MS, wait)));
  };

  function start(root) {
    var status = root.querySelector('.status');
    var src = root.getAttribute('data-src');
    fetch(src, { credentials: 'same-origin', cache: 'no-store', referrerPolicy: 'no-referrer' })
      .then(function (response) {
        if (!response.ok) throw new Error('the server answered ' + response.status);
        return response.text();
      })
      .then(function (text) {
        var cast = parseCast(text);
        status.textContent = cast.skipped ? cast.skipped + ' unreadable lines were skipped.' : '';
        status.hidden = !cast.skipped;
        var player = new Player(root, cast);
        player.applyFragment(window.location.hash);
        if (player.position < cast.duration) player.play();
        else player.tick();
      })
      .catch(function (error) {
        status.textContent = 'The recording could not be played: ' + error.message + '.';
      });
  }

  if (typeof document !== 'undefined') {
    var boot = function () {
      document.querySelectorAll('.player[data-src]').forEach(start);
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
    else boot();
  }
  if (typeof module !== 'undefined') module.exports = { Terminal: Terminal, parseCast: parseCast };
})();
