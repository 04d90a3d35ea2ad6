// SPDX-License-Identifier: GPL-2.0-or-later
// vtrustd's status page: the fleet, and one instance. Everything shown
// comes from the operator API (/v1) and is put in the page as text,
// never as HTML: names come from the guests' own lists. The operator
// token comes in the address (#token=...) once and is kept for the tab.
'use strict';

const params = new URLSearchParams(location.hash.slice(1));
if (params.get('token'))
	sessionStorage.setItem('vtrust-token', params.get('token'));
const token = sessionStorage.getItem('vtrust-token') || '';

function el(tag, attrs, ...kids) {
	const e = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {}))
		e.setAttribute(k, v);
	for (const k of kids)
		e.append(k instanceof Node ? k : document.createTextNode(String(k)));
	return e;
}

async function api(path, body) {
	const opts = { headers: { 'Authorization': 'Bearer ' + token } };
	if (body !== undefined) {
		opts.method = 'POST';
		opts.headers['Content-Type'] = 'application/json';
		opts.body = JSON.stringify(body);
	}
	const r = await fetch(path, opts);
	const j = await r.json();
	if (!r.ok)
		throw new Error(j.error || ('HTTP ' + r.status));
	return j;
}

function when(t) {
	return t == null ? 'never' : new Date(t * 1000).toISOString()
		.replace('T', ' ').replace('.000Z', 'Z');
}

function verdict(v) {
	return el('span', { class: 'v-' + v, 'data-verdict': v }, v);
}

function digest(d) {
	if (d == null)
		return '-';
	if (typeof d === 'string')
		return d;
	return Object.entries(d).map(([b, h]) => b + ':' + h).join(' ');
}

async function fleet(main) {
	const list = await api('/v1/instances');
	document.getElementById('where').textContent = 'fleet';
	const counts = {};
	for (const v of ['trusted', 'untrusted', 'invalid', 'unmeasured'])
		counts[v] = 0;
	for (const i of list)
		counts[i.verdict] = (counts[i.verdict] || 0) + 1;
	const box = el('div', { class: 'counts', id: 'counts' });
	for (const [v, n] of Object.entries(counts))
		box.append(el('div', { class: 'count', 'data-verdict': v },
			      el('b', {}, n), v));
	const filter = el('input', { id: 'filter',
				     placeholder: 'filter: id or verdict' });
	const tbody = el('tbody', { id: 'instances' });
	const show = () => {
		const f = filter.value.toLowerCase();
		tbody.replaceChildren();
		// the most recent changes of verdict first (going quiet is one)
		const rows = list.slice().sort((a, b) =>
			(b.since || 0) - (a.since || 0) ||
			(a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
		for (const i of rows) {
			if (f && !i.id.toLowerCase().includes(f) &&
			    !i.verdict.includes(f))
				continue;
			tbody.append(el('tr', { 'data-id': i.id },
				el('td', {}, el('a', { href: '#instance=' +
					encodeURIComponent(i.id) }, i.id)),
				el('td', {}, verdict(i.verdict)),
				el('td', {}, when(i.since)),
				el('td', {}, when(i.last_attestation)),
				el('td', {}, when(i.enrolled))));
		}
	};
	filter.addEventListener('input', show);
	show();
	main.replaceChildren(box, filter, el('table', {},
		el('thead', {}, el('tr', {}, el('th', {}, 'instance'),
			el('th', {}, 'verdict'), el('th', {}, 'since'),
			el('th', {}, 'last attestation'),
			el('th', {}, 'enrolled'))), tbody));
	// for bench/page.py: when the fleet was in the page
	performance.mark('vtrust-fleet-shown');
}

const STAGES = [
	['firmware', 'firmware (PCRs 0-7)'],
	['kernel', 'boot loader, kernel, initrd'],
	['ima', 'IMA'],
	['vtrust', 'vtrust runtime loads'],
];

async function instance(main, id) {
	const i = await api('/v1/instances/' + encodeURIComponent(id));
	document.getElementById('where').textContent = 'instance ' + i.id;
	const last = i.attestations[0];
	const parts = [el('h2', {}, i.id, ' ', verdict(i.verdict)),
		el('p', {}, 'enrolled ' + when(i.enrolled) + ', last attested ' +
		   when(i.last_attestation) + ', AK ' + i.ak_name)];
	const chain = el('div', { class: 'chain', id: 'chain' });
	for (const [s, label] of STAGES) {
		const st = last && last.stages ? last.stages[s] :
			'none';
		chain.append(el('div', { class: 'stage s-' + (st || 'none'),
					 'data-stage': s,
					 'data-status': st || 'none' }, label));
	}
	parts.push(chain);
	if (last && last.differences && last.differences.length) {
		const d = last.differences[0];
		parts.push(el('h3', {}, 'First difference'),
			   el('table', { id: 'difference' },
			      el('tr', {}, el('th', {}, 'event'),
				 el('td', { 'data-name': '' }, d.name)),
			      el('tr', {}, el('th', {}, 'stage, PCR, kind'),
				 el('td', {}, d.stage + ', ' + d.pcr + ', ' +
				    d.kind)),
			      el('tr', {}, el('th', {}, 'baseline'),
				 el('td', {}, el('code', { 'data-old': '' },
						 digest(d.baseline)))),
			      el('tr', {}, el('th', {}, 'this boot'),
				 el('td', {}, el('code', { 'data-new': '' },
						 digest(d.current))))));
		const reason = el('input', { id: 'reason',
					     placeholder: 'reason (needed)' });
		const n = last.differences.length;
		const button = el('button', { id: 'accept' }, n === 1 ?
				  'Accept the difference' :
				  'Accept all ' + n + ' differences');
		const msg = el('span', { id: 'accept-result' });
		button.addEventListener('click', async () => {
			try {
				const r = await api('/v1/instances/' +
					encodeURIComponent(i.id) + '/accept',
					{ all: true, reason: reason.value });
				msg.textContent = 'accepted into baseline ' +
					'version ' + r.baseline_version;
			} catch (e) {
				msg.className = 'error';
				msg.textContent = e.message;
			}
		});
		parts.push(el('p', {}, reason, ' ', button, ' ', msg));
	}
	const hist = el('tbody', { id: 'history' });
	for (const a of i.attestations)
		hist.append(el('tr', {}, el('td', {}, when(a.at)),
			       el('td', {}, verdict(a.verdict)),
			       el('td', {}, a.boot == null ? '-' : a.boot),
			       el('td', {}, (a.differences || []).map(
				       d => d.name).join(', '))));
	parts.push(el('h3', {}, 'History'), el('table', {},
		el('thead', {}, el('tr', {}, el('th', {}, 'when'),
			el('th', {}, 'verdict'), el('th', {}, 'boot'),
			el('th', {}, 'differences'))), hist));
	main.replaceChildren(...parts);
}

async function route() {
	const main = document.getElementById('main');
	const p = new URLSearchParams(location.hash.slice(1));
	try {
		if (p.get('instance'))
			await instance(main, p.get('instance'));
		else
			await fleet(main);
		document.body.setAttribute('data-ready', '1');
	} catch (e) {
		main.replaceChildren(el('p', { class: 'error', id: 'error' },
					e.message));
		document.body.setAttribute('data-ready', 'error');
	}
}

window.addEventListener('hashchange', route);
route();
