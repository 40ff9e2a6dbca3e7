// Staff screens on a phone: every table in the admin's content area becomes a stack of cards under
// ~600px (static/css/admin-phone.css). This labels each cell with its column's heading, so a card
// reads "Event  Castle Combe Track Day" instead of a bare value, and marks empty cells (left out
// of the card). Tables swapped in later (search, filters, paging) are labelled as they arrive.
(() => {
  "use strict";

  const TABLES = "main table.listing:not(.images):not(.chooser), main table.paddock-table";
  const CONTENT = "img, svg, input, select, textarea, button, progress, meter, canvas";

  const headingsOf = (table) => {
    const head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) return null;
    const labels = [];
    for (const th of head.cells) {
      const text = (th.textContent || "").replace(/\s+/g, " ").trim();
      for (let i = 0; i < th.colSpan; i += 1) labels.push(text);
    }
    return labels;
  };

  const label = (table) => {
    const labels = headingsOf(table);
    if (!labels) return;
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let column = 0;
        for (const cell of row.cells) {
          const text = cell.colSpan === 1 ? labels[column] : "";
          if (text && !cell.hasAttribute("data-label")) cell.dataset.label = text;
          const empty = !(cell.textContent || "").trim() && !cell.querySelector(CONTENT);
          cell.classList.toggle("paddock-cell--empty", empty);
          column += cell.colSpan;
        }
      }
    }
    table.classList.add("paddock-cardtable");
  };

  const labelAll = () => document.querySelectorAll(TABLES).forEach(label);

  const start = () => {
    labelAll();
    const main = document.querySelector("main");
    if (!main) return;
    let queued = false;
    new MutationObserver(() => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => {
        queued = false;
        labelAll();
      });
    }).observe(main, { childList: true, subtree: true });
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
