// The site's only script, and an optional one: every page works without it.
// It adds the theme toggle, the chart filter, the copy buttons and sortable tables.
(function () {
  'use strict';
  var root = document.documentElement;

  // Theme: system (no attribute), light or dark; the choice is kept in localStorage.
  var toggle = document.getElementById('theme-toggle');
  if (toggle) {
    var names = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };
    var next = { system: 'dark', dark: 'light', light: 'system' };
    var current = function () {
      var t = root.getAttribute('data-theme');
      return t === 'light' || t === 'dark' ? t : 'system';
    };
    var show = function () {
      toggle.textContent = names[current()];
      toggle.setAttribute('aria-label', names[current()] + ' (change)');
    };
    toggle.hidden = false;
    show();
    toggle.addEventListener('click', function () {
      var t = next[current()];
      if (t === 'system') root.removeAttribute('data-theme');
      else root.setAttribute('data-theme', t);
      try {
        if (t === 'system') localStorage.removeItem('theme');
        else localStorage.setItem('theme', t);
      } catch (e) {}
      show();
    });
  }

  // Filter: hides list items whose text does not contain every typed word.
  var input = document.getElementById('chart-filter');
  if (input) {
    var box = document.getElementById('chart-filter-box');
    var status = document.getElementById('chart-filter-status');
    var groups = document.querySelectorAll('[data-filter-group]');
    if (box) box.hidden = false;
    var run = function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      for (var g = 0; g < groups.length; g++) {
        var group = groups[g];
        var head = (group.getAttribute('data-filter-text') || '').toLowerCase();
        var items = group.querySelectorAll('[data-filter-item]');
        var any = 0;
        for (var i = 0; i < items.length; i++) {
          var text = head + ' ' + (items[i].getAttribute('data-filter-text') || '').toLowerCase();
          var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
          items[i].hidden = !ok;
          if (ok) any++;
        }
        group.hidden = any === 0;
        shown += any;
      }
      if (status) status.textContent = words.length ? shown + ' chart' + (shown === 1 ? '' : 's') + ' match' : '';
    };
    input.addEventListener('input', run);
    if (input.value) run();
  }

  // Release-note snippets: fill in this page's origin when the build did not know the site URL.
  var snippets = document.querySelectorAll('[data-relative-snippet]');
  for (var s = 0; s < snippets.length; s++) {
    var el = snippets[s];
    el.textContent = el.textContent.replace(/\]\((\/[^)\s]*)\)/g, function (_, path) {
      return '](' + new URL(path, location.href).href + ')';
    });
  }

  // Copy buttons: copy the text of the element named by data-copy.
  var buttons = document.querySelectorAll('button[data-copy]');
  for (var b = 0; b < buttons.length; b++) {
    (function (button) {
      button.hidden = false;
      button.addEventListener('click', function () {
        var target = document.getElementById(button.getAttribute('data-copy'));
        if (!target) return;
        var text = target.textContent;
        var done = function () {
          button.textContent = 'Copied';
          setTimeout(function () { button.textContent = 'Copy'; }, 2000);
        };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(done, function () { select(target); });
        } else select(target);
      });
    })(buttons[b]);
  }
  // Sortable tables: a button in each column head of tables marked data-sortable sorts the rows of
  // every row group (tbody) by that column; group headings and "other" rows stay where they are.
  var tables = document.querySelectorAll('table[data-sortable]');
  for (var t = 0; t < tables.length; t++) sortable(tables[t]);
  function cellValue(row, col) {
    var cell = row.cells[col];
    var text = cell ? cell.textContent.trim() : '';
    var m = /^[<≤]?\s*[−-]?[\d,]*\.?\d+/.exec(text.replace(/^[▲▼+]\s*/, ''));
    if (m) return { num: parseFloat(m[0].replace(/[<≤,\s]/g, '').replace('−', '-')), text: text };
    return { num: null, text: text };
  }
  function sortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    for (var c = 0; c < heads.length; c++) {
      (function (th, col) {
        var button = document.createElement('button');
        button.type = 'button';
        button.className = 'sort';
        while (th.firstChild) button.appendChild(th.firstChild);
        th.appendChild(button);
        button.addEventListener('click', function () {
          var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
          for (var h = 0; h < heads.length; h++) heads[h].removeAttribute('aria-sort');
          th.setAttribute('aria-sort', dir);
          var sign = dir === 'ascending' ? 1 : -1;
          for (var b = 0; b < table.tBodies.length; b++) {
            var body = table.tBodies[b];
            var rows = [];
            var fixed = [];
            for (var r = 0; r < body.rows.length; r++) {
              var row = body.rows[r];
              (row.classList.contains('group') || row.classList.contains('other') ? fixed : rows).push(row);
            }
            rows.sort(function (a, z) {
              var x = cellValue(a, col);
              var y = cellValue(z, col);
              if (x.num !== null && y.num !== null) return sign * (x.num - y.num);
              if (x.num !== null) return -1;
              if (y.num !== null) return 1;
              return sign * x.text.localeCompare(y.text);
            });
            var head = fixed.filter(function (f) { return f.classList.contains('group'); });
            var tail = fixed.filter(function (f) { return !f.classList.contains('group'); });
            head.concat(rows, tail).forEach(function (row) { body.appendChild(row); });
          }
        });
      })(heads[c], c);
    }
  }

  function select(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }
})();
