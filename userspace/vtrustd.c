// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vtrustd, the trusted service: keeps each instance's enrolment (and, as
 * issue 10 goes on, its baselines and verdicts) and answers the API of
 * api.c over HTTP (http.c). `vtrustd token create` makes an operator
 * token.
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "akcache.h"
#include "ear.h"
#include "hex.h"
#include "http.h"
#include "store.h"
#include "util.h"

#define DEFAULT_DB	"sqlite:/var/lib/vtrustd/vtrustd.db"
#define DEFAULT_LISTEN	"127.0.0.1:8420"

static const char usage[] =
"Usage: vtrustd [--db URL] [--listen ADDR:PORT] [--threads N]\n"
"               [--tls-cert FILE --tls-key FILE]\n"
"       vtrustd token create [--db URL]\n"
"\n"
"The trusted service: instances enrol (their EK and AK, proved by credential\n"
"activation), take challenges and, later, send evidence; operators read\n"
"their state with a token. The API is under /v1 (docs/SERVICE.md); every\n"
"answer is JSON, errors as {\"error\": \"...\"}.\n"
"\n"
"Options:\n"
"  --db URL            sqlite:PATH (default " DEFAULT_DB ")\n"
"                      or postgresql://... (libpq's URI)\n"
"  --listen ADDR:PORT  numeric address, [ADDR6]:PORT for IPv6 (default\n"
"                      " DEFAULT_LISTEN ")\n"
"  --threads N         threads answering requests, each with its own\n"
"                      database connection (default 2, at most 64)\n"
"  --tls-cert FILE     HTTPS with this certificate (PEM; its chain after\n"
"  --tls-key FILE      it) and this private key (PEM)\n"
"  -h, --help          this help\n"
"\n"
"The schema is migrated at start (a newer one is refused). SIGINT or SIGTERM\n"
"stops the service. 'token create' prints a new operator token once; the\n"
"database keeps only its SHA-256.\n"
"\n"
"Exit status: 0 stopped by a signal or token made; 2 bad usage; 3 the\n"
"database or the listening socket failed.\n";

static int64_t now(void)
{
	return (int64_t)time(NULL);
}

/* A PEM file's text (NUL-terminated), for libmicrohttpd. */
static int read_pem(const char *path, char **out)
{
	uint8_t *buf;
	size_t len;
	char *s;
	int ret;

	ret = vt_read_file(path, 1 << 20, &buf, &len);
	if (ret || !buf) {
		fprintf(stderr, "vtrustd: %s: %s\n", path,
			ret ? strerror(-ret) : "empty");
		return -1;
	}
	s = realloc(buf, len + 1);
	if (!s) {
		free(buf);
		return -1;
	}
	s[len] = '\0';
	*out = s;
	return 0;
}

static int open_db(const char *url, struct vt_db **db)
{
	char why[256];
	int ret, from;

	ret = vt_db_open(url, db, why, sizeof(why));
	if (!ret)
		ret = vt_store_migrate(*db, &from, why, sizeof(why));
	if (ret) {
		fprintf(stderr, "vtrustd: %s\n", why);
		vt_db_close(*db);
		*db = NULL;
		return 3;
	}
	return 0;
}

static int token_create(const char *url)
{
	uint8_t raw[32];
	char token[65], hash[65];
	struct vt_db *db;
	int ret;

	ret = open_db(url, &db);
	if (ret)
		return ret;
	if (getrandom(raw, sizeof(raw), 0) != sizeof(raw)) {
		fprintf(stderr, "vtrustd: no random bytes\n");
		vt_db_close(db);
		return 3;
	}
	vt_hex(token, raw, sizeof(raw));
	vt_sha256_hex(token, strlen(token), hash);
	ret = vt_store_token_add(db, hash, now());
	if (ret)
		fprintf(stderr, "vtrustd: %s\n", vt_db_error(db));
	else
		printf("%s\n", token);
	vt_db_close(db);
	return ret ? 3 : 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "listen", required_argument, NULL, 'l' },
		{ "threads", required_argument, NULL, 't' },
		{ "tls-cert", required_argument, NULL, 'C' },
		{ "tls-key", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db_url = DEFAULT_DB, *listen = DEFAULT_LISTEN;
	const char *cert = NULL, *key = NULL;
	struct vt_srv srv = { .now = now };
	unsigned long threads = 2;
	struct vt_db *db;
	char why[256], *end;
	sigset_t sigs;
	int c, sig;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db_url = optarg;
			break;
		case 'l':
			listen = optarg;
			break;
		case 't':
			threads = strtoul(optarg, &end, 10);
			if (*end || !threads || threads > 64) {
				fprintf(stderr, "vtrustd: --threads %s: not 1-64\n",
					optarg);
				return 2;
			}
			break;
		case 'C':
			cert = optarg;
			break;
		case 'K':
			key = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fprintf(stderr, "Try 'vtrustd --help'.\n");
			return 2;
		}
	}
	if (optind < argc) {
		if (optind + 2 == argc && !strcmp(argv[optind], "token") &&
		    !strcmp(argv[optind + 1], "create"))
			return token_create(db_url);
		fprintf(stderr, "vtrustd: unknown command '%s'\nTry 'vtrustd "
			"--help'.\n", argv[optind]);
		return 2;
	}
	if (!cert != !key) {
		fprintf(stderr, "vtrustd: --tls-cert and --tls-key go together\n");
		return 2;
	}
	if (cert && (read_pem(cert, &srv.tls_cert) ||
		     read_pem(key, &srv.tls_key)))
		return 2;
	/* the schema, once, before any request; the results' signing key */
	if (open_db(db_url, &db))
		return 3;
	srv.ear_key = vt_ear_key(db, now(), srv.kid, why, sizeof(why));
	vt_db_close(db);
	if (!srv.ear_key) {
		fprintf(stderr, "vtrustd: %s\n", why);
		return 3;
	}
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	srv.db_url = db_url;
	if (vt_http_start(&srv, listen, threads, why, sizeof(why))) {
		fprintf(stderr, "vtrustd: %s\n", why);
		return 3;
	}
	fprintf(stderr, "vtrustd: listening on %s, database %s\n", listen,
		db_url);
	sigwait(&sigs, &sig);
	vt_http_stop(&srv);
	free(srv.tls_cert);
	free(srv.tls_key);
	EVP_PKEY_free(srv.ear_key);
	vt_akcache_clear();
	fprintf(stderr, "vtrustd: stopped (%s)\n", strsignal(sig));
	return 0;
}
