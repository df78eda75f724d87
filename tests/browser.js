// SPDX-License-Identifier: ISC
// What tests/test_browser.sh asks of Debian's Chromium, driven by
// playwright-core (tests/package.json) in one browser (Debian's
// chromium-headless-shell): a launch costs about three seconds of CPU, and
// laying out the 500-subscription page in the five modes about four.
//
//   node browser.js NET-LOG [--probe PAGE] PAGE OUT-PREFIX [OPTION]...
//                   [PAGE OUT-PREFIX [OPTION]...]...
//
// Every PAGE is loaded in one browser whose net log (Chromium's
// --log-net-log) is NET-LOG, all at once, each in a tab of its own.
// --probe PAGE: PAGE is only loaded, to show that a page's request is seen
// in the net log (test_browser.sh gives it a request no report can know).
// Every other PAGE is laid out on screens 360, 768 and 1400 px wide and on
// A4 and Letter paper; for each mode one line "ok PAGE MODE: N rows, M
// badges" or one "FAIL PAGE MODE: ..." per problem (PAGE is the file's base
// name): two text boxes of a table row that overlap, a cell's text outside
// its cell, a status badge on more than one line, a page wider than its
// window or paper, a sha256sum line or a digest broken across lines on
// paper. After its last mode "done PAGE". The lines of two pages may come
// interleaved. Leaves OUT-PREFIX-MODE.png, the top of the page as laid out.
// The OPTIONs of a PAGE:
//   --dom FILE    the DOM once loaded, as chromium --dump-dom writes it
//   --print FILE  the page printed as chromium --no-pdf-header-footer
//                 --print-to-pdf prints it (the same bytes but for the dates)
//   --pdf         OUT-PREFIX-a4.pdf and OUT-PREFIX-letter.pdf, printed on
//                 those papers
//   --shot MODE   a screenshot of MODE; given again, of each MODE given (a
//                 screenshot costs as much as a layout check of a small
//                 page). Without it, a screenshot of every mode.
// Exit status 0 when every check ran (failures are in the output), 1 when
// the browser could not, 2 on a bad command line.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const usage = () => {
    console.error('usage: node browser.js NET-LOG [--probe PAGE] PAGE OUT-PREFIX [--dom FILE] [--print FILE] [--pdf] [--shot MODE]...');
    process.exit(2);
};
const args = process.argv.slice(2);
const netLog = args.shift();
let probe = null;
if (args[0] === '--probe') {
    if (args.length < 2) usage();
    probe = args[1];
    args.splice(0, 2);
}
const jobs = [];
while (args.length) {
    if (args.length < 2 || args[0].startsWith('--')) usage();
    const job = { page: args.shift(), out: args.shift(), dom: null, print: null, pdf: false, shots: [] };
    while (args.length && args[0].startsWith('--')) {
        const opt = args.shift();
        if (opt === '--pdf') job.pdf = true;
        else if (opt === '--shot' && args.length) job.shots.push(args.shift());
        else if ((opt === '--dom' || opt === '--print') && args.length) job[opt.slice(2)] = args.shift();
        else usage();
    }
    jobs.push(job);
}
if (!netLog || !jobs.length) usage();

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

// Host names resolve to nothing, so the browser's own background requests
// (component updates, time, accounts) never leave the machine; the page's
// requests are still started and logged, which is what test_browser.sh's
// net log check relies on.
const launch = (log) =>
    chromium.launch({
        executablePath: '/usr/bin/chromium-headless-shell',
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync',
            '--host-resolver-rules=MAP * ~NOTFOUND', `--log-net-log=${path.resolve(log)}`],
    });
const url = (file) => 'file://' + path.resolve(file);

// One PAGE of the command line: loaded, its files written, laid out in
// every mode.
async function layout(browser, job) {
    const name = path.basename(job.page);
    // Printed before any media is emulated: page.pdf under an emulated
    // screen prints the screen's styles.
    const page = await browser.newPage({ viewport: { width: modes[0].width, height: 1600 } });
    await page.goto(url(job.page));
    if (job.dom)
        fs.writeFileSync(job.dom, await page.evaluate(() =>
            (document.doctype ? new XMLSerializer().serializeToString(document.doctype) + '\n' : '') +
            document.documentElement.outerHTML + '\n'));
    if (job.print) await page.pdf({ path: job.print, printBackground: true, tagged: true });
    for (const m of modes) {
        await page.setViewportSize({ width: m.width, height: 1600 });
        await page.emulateMedia({ media: m.media });
        const res = await page.evaluate(check, m.media);
        if (res.problems.length === 0)
            console.log(`ok ${name} ${m.name}: ${res.rows} rows, ${res.badges} badges`);
        for (const p of res.problems.slice(0, 20)) console.log(`FAIL ${name} ${m.name}: ${p}`);
        if (res.problems.length > 20)
            console.log(`FAIL ${name} ${m.name}: ... ${res.problems.length} problems in all`);
        if (job.shots.length === 0 || job.shots.includes(m.name)) await page.screenshot({ path: `${job.out}-${m.name}.png` });
        if (m.format && job.pdf) await page.pdf({ path: `${job.out}-${m.name}.pdf`, format: m.format });
    }
    await page.close();
    console.log(`done ${name}`);
}

async function load(browser, file) {
    const page = await browser.newPage();
    await page.goto(url(file));
    await page.close();
    console.log(`done ${path.basename(file)}`);
}

(async () => {
    const browser = await launch(netLog);
    const pages = jobs.map((job) => layout(browser, job));
    if (probe) pages.push(load(browser, probe));
    await Promise.all(pages);
    await browser.close();
})().catch((e) => {
    console.error(e);
    process.exit(1);
});
