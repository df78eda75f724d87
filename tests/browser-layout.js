// SPDX-License-Identifier: ISC
// Layout check of an HTML report in Debian's Chromium, driven by
// playwright-core (tests/package.json); run by tests/test_browser.sh.
//
//   node browser-layout.js PAGE OUT-PREFIX [pdf]
//
// Lays PAGE out on screens 360, 768 and 1400 px wide and on A4 and Letter
// paper, and in each prints one line "ok MODE: N rows, M badges" or one
// "FAIL MODE: ..." per problem: two text boxes of a table row that overlap,
// a cell's text outside its cell, a status badge on more than one line, a
// page wider than its window or paper, a sha256sum line or a digest broken
// across lines on paper. Leaves OUT-PREFIX-MODE.png (the top of the page as
// laid out) and, with "pdf", OUT-PREFIX-a4.pdf / -letter.pdf (printed). Exit status 0
// when every check ran (failures are in the output), 1 when the browser
// could not.
'use strict';
const path = require('path');
const { chromium } = require('playwright-core');

const [page_path, out, pdf] = process.argv.slice(2);
// Paper widths less the page margins of style.css (10 mm each side), in
// CSS pixels (96 per inch).
const mm = 96 / 25.4;
const modes = [
    { name: '360', width: 360, media: 'screen' },
    { name: '768', width: 768, media: 'screen' },
    { name: '1400', width: 1400, media: 'screen' },
    { name: 'a4', width: Math.floor((210 - 20) * mm), media: 'print', format: 'A4' },
    { name: 'letter', width: Math.floor((215.9 - 20) * mm), media: 'print', format: 'Letter' },
];

// Runs in the page: every problem found, as text.
function check(media) {
    const problems = [];
    const where = (el) => {
        const row = el.closest('[id]');
        return (row ? '#' + row.id + ' ' : '') + JSON.stringify(el.textContent.trim().slice(0, 60));
    };
    const textRects = (el) => {
        const rects = [];
        const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let n = walk.nextNode(); n; n = walk.nextNode()) {
            if (!n.data.trim()) continue;
            const range = document.createRange();
            range.selectNodeContents(n);
            for (const r of range.getClientRects())
                if (r.width > 0 && r.height > 0) rects.push(r);
        }
        return rects;
    };
    const overlap = (a, b) =>
        Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
        Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
    // Lines a text occupies: distinct tops of its boxes.
    const lines = (rects) => new Set(rects.map((r) => Math.round(r.top))).size;

    let rows = 0;
    for (const tr of document.querySelectorAll('tr')) {
        rows++;
        const cells = [...tr.children];
        const rects = cells.map(textRects);
        for (let i = 0; i < cells.length; i++) {
            const box = cells[i].getBoundingClientRect();
            for (const r of rects[i]) {
                if (r.left < box.left - 1 || r.right > box.right + 1) {
                    problems.push(`text outside its cell ${i + 1} in ${where(tr)}`);
                    break;
                }
            }
            for (let j = i + 1; j < cells.length; j++) {
                if (rects[i].some((a) => rects[j].some((b) => overlap(a, b))))
                    problems.push(`cells ${i + 1} and ${j + 1} overlap in ${where(tr)}`);
            }
        }
    }
    let badges = 0;
    for (const b of document.querySelectorAll('.status')) {
        badges++;
        if (lines(textRects(b)) > 1) problems.push(`badge wraps: ${where(b)}`);
    }
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth + 1)
        problems.push(`page ${doc.scrollWidth} px wide in ${window.innerWidth} px`);
    const pre = document.querySelector('pre.sha256sum');
    const sums = pre ? pre.textContent.split('\n').filter((l) => l).length : 0;
    if (pre && lines(textRects(pre)) !== sums)
        problems.push(`${sums} sha256sum lines take ${lines(textRects(pre))} lines`);
    if (media === 'print') {
        if (pre && pre.scrollWidth > pre.clientWidth + 1)
            problems.push(`sha256sum lines ${pre.scrollWidth} px wide in ${pre.clientWidth} px`);
        for (const d of document.querySelectorAll('.sha'))
            if (lines(textRects(d)) > 1) problems.push(`digest wraps: ${where(d)}`);
    }
    return { rows, badges, problems };
}

(async () => {
    const browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const url = 'file://' + path.resolve(page_path);
    for (const m of modes) {
        const page = await browser.newPage({ viewport: { width: m.width, height: 1600 } });
        await page.emulateMedia({ media: m.media });
        await page.goto(url);
        const res = await page.evaluate(check, m.media);
        if (res.problems.length === 0)
            console.log(`ok ${m.name}: ${res.rows} rows, ${res.badges} badges`);
        for (const p of res.problems.slice(0, 20)) console.log(`FAIL ${m.name}: ${p}`);
        if (res.problems.length > 20) console.log(`FAIL ${m.name}: ... ${res.problems.length} problems in all`);
        await page.screenshot({ path: `${out}-${m.name}.png` });
        if (m.format && pdf === 'pdf') await page.pdf({ path: `${out}-${m.name}.pdf`, format: m.format });
        await page.close();
    }
    await browser.close();
})().catch((e) => {
    console.error(e);
    process.exit(1);
});
