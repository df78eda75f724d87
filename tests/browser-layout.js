// SPDX-License-Identifier: ISC
// Layout check of HTML reports in Debian's Chromium, driven by
// playwright-core (tests/package.json); run by tests/test_browser.sh.
//
//   node browser-layout.js PAGE OUT-PREFIX [pdf] [PAGE OUT-PREFIX [pdf]]...
//
// Lays each PAGE out on screens 360, 768 and 1400 px wide and on A4 and
// Letter paper, and in each prints one line "ok PAGE MODE: N rows, M badges"
// or one "FAIL PAGE MODE: ..." per problem (PAGE is the file's base name):
// two text boxes of a table row that overlap, a cell's text outside its
// cell, a status badge on more than one line, a page wider than its window
// or paper, a sha256sum line or a digest broken across lines on paper.
// After its last mode "done PAGE". Leaves OUT-PREFIX-MODE.png (the top of the page as laid out) and, with
// "pdf", OUT-PREFIX-a4.pdf / -letter.pdf (printed). One browser serves every
// page, and each page is loaded once and laid out again for each mode (a
// launch and a load of the 2,000-subscription page cost more than the
// checks). Exit status 0 when every check ran (failures are in the
// output), 1 when the browser could not.
'use strict';
const path = require('path');
const { chromium } = require('playwright-core');

// The PAGE OUT-PREFIX [pdf] groups of the command line.
const jobs = [];
for (const args = process.argv.slice(2); args.length >= 2; ) {
    const [page, out] = args.splice(0, 2);
    const pdf = args[0] === 'pdf';
    if (pdf) args.shift();
    jobs.push({ page, out, pdf });
}
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
    for (const job of jobs) {
        const name = path.basename(job.page);
        const page = await browser.newPage({ viewport: { width: modes[0].width, height: 1600 } });
        await page.emulateMedia({ media: modes[0].media });
        await page.goto('file://' + path.resolve(job.page));
        for (const m of modes) {
            await page.setViewportSize({ width: m.width, height: 1600 });
            await page.emulateMedia({ media: m.media });
            const res = await page.evaluate(check, m.media);
            if (res.problems.length === 0)
                console.log(`ok ${name} ${m.name}: ${res.rows} rows, ${res.badges} badges`);
            for (const p of res.problems.slice(0, 20)) console.log(`FAIL ${name} ${m.name}: ${p}`);
            if (res.problems.length > 20)
                console.log(`FAIL ${name} ${m.name}: ... ${res.problems.length} problems in all`);
            await page.screenshot({ path: `${job.out}-${m.name}.png` });
            if (m.format && job.pdf) await page.pdf({ path: `${job.out}-${m.name}.pdf`, format: m.format });
        }
        await page.close();
        console.log(`done ${name}`);
    }
    await browser.close();
})().catch((e) => {
    console.error(e);
    process.exit(1);
});
