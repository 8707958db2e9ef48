/* Aftersales: keyboard and screen-reader care for what htmx replaces in place (WCAG 2.4.3,
   4.1.3). A static file, not an inline script: the Content-Security-Policy allows no inline
   script.

   When htmx swaps new content in, the element that had the focus (the button or link that was
   pressed) is often gone, and the browser drops the focus on the page body: the next Tab would
   start from the top. So, after each swap:
   - the new content's `data-focus` (a CSS selector inside it, or "self") says where the focus
     goes; without it, when the focus was lost, it goes to the first field of the new content,
     else to the content itself; but when the person already moved into the new content
     between the swap and this moment (htmx settles 20 ms after the swap: a fast typist, a
     barcode scanner), they are left where they are, or what they type would land in another
     field;
   - its `data-announce` text is read out by screen readers through the page's status region
     (#announcer in base.html). */
(function () {
  "use strict";

  var FIELDS = "input:not([type=hidden]):not([disabled]), select:not([disabled]), " +
    "textarea:not([disabled]), button:not([disabled]), a[href]";

  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region || !text) {
      return;
    }
    // Emptied first, then filled a moment later: the same text twice is read twice.
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = text;
    }, 50);
  }

  function focusOn(element) {
    if (!element.matches(FIELDS) && !element.hasAttribute("tabindex")) {
      // Focusable by script only: not a stop of its own in the Tab order.
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
  }

  function focusLost() {
    var active = document.activeElement;
    return !active || active === document.body || !document.documentElement.contains(active);
  }

  // Where the focus was just after each swap (htmx has by then put it back on a field of the
  // same id, when there was one): a different place at settle time is the person's own move.
  var focusAfterSwap = new WeakMap();

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target instanceof Element) {
      focusAfterSwap.set(event.target, document.activeElement);
    }
  });

  function movedInto(content) {
    var active = document.activeElement;
    return focusAfterSwap.has(content) && active !== focusAfterSwap.get(content) &&
      active !== content && content.contains(active);
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var content = event.target;
    if (!(content instanceof Element) || !document.documentElement.contains(content)) {
      return;
    }
    if (movedInto(content)) {
      announce(content.getAttribute("data-announce"));
      return;
    }
    var wanted = content.getAttribute("data-focus");
    var target = null;
    if (wanted === "self") {
      target = content;
    } else if (wanted) {
      target = content.querySelector(wanted);
    }
    if (!target && focusLost()) {
      target = content.querySelector(FIELDS) || content;
    }
    if (target) {
      focusOn(target);
    }
    announce(content.getAttribute("data-announce"));
  });
})();
