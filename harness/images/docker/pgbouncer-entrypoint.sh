#!/usr/bin/env bash
# Entrypoint of dbcompat's PgBouncer image: writes /etc/pgbouncer/pgbouncer.ini from the environment,
# then runs PgBouncer in the foreground, logging to the container's output.
#
# Variables:
#   PGBOUNCER_SERVER_HOST   the PostgreSQL server every database is pooled to (required)
#   PGBOUNCER_SERVER_PORT   its port (default 5432)
#   PGBOUNCER_POOL_MODE     session, transaction or statement (default session)
#   PGBOUNCER_USER          the one user clients and PgBouncer log in as, also the admin console's (default postgres)
#   PGBOUNCER_PASSWORD      that user's password, on PostgreSQL and on PgBouncer (required; may be *_FILE)
#   PGBOUNCER_MAX_PREPARED_STATEMENTS  when set, PgBouncer's max_prepared_statements (1.21+)
# Every database name goes through to the server (the cells' throwaway databases too).
set -Eeuo pipefail

die() {
	printf '%s [ERROR] [Entrypoint]: %s\n' "$(date --rfc-3339=seconds)" "$*" >&2
	exit 1
}

if [ "${1:-}" = pgbouncer ]; then
	if [ -n "${PGBOUNCER_PASSWORD_FILE:-}" ]; then
		PGBOUNCER_PASSWORD="$(<"$PGBOUNCER_PASSWORD_FILE")"
	fi
	[ -n "${PGBOUNCER_SERVER_HOST:-}" ] || die "PGBOUNCER_SERVER_HOST is not set: name the PostgreSQL server to pool connections to"
	[ -n "${PGBOUNCER_PASSWORD:-}" ] || die "PGBOUNCER_PASSWORD is not set: give the password of ${PGBOUNCER_USER:-postgres} on the server"
	mode="${PGBOUNCER_POOL_MODE:-session}"
	case "$mode" in
		session | transaction | statement) ;;
		*) die "PGBOUNCER_POOL_MODE is '$mode': use session, transaction or statement" ;;
	esac
	user="${PGBOUNCER_USER:-postgres}"
	case "$user$PGBOUNCER_PASSWORD" in
		*'"'*) die "PGBOUNCER_USER and PGBOUNCER_PASSWORD may not hold a double quote" ;;
	esac
	# A plain-text password in the auth file serves both sides: SCRAM with the clients, and the
	# server's own authentication (SCRAM or md5) when PgBouncer logs in to PostgreSQL.
	umask 077
	printf '"%s" "%s"\n' "$user" "$PGBOUNCER_PASSWORD" > /etc/pgbouncer/userlist.txt
	{
		printf '[databases]\n* = host=%s port=%s\n\n' "$PGBOUNCER_SERVER_HOST" "${PGBOUNCER_SERVER_PORT:-5432}"
		printf '[pgbouncer]\nlisten_addr = 0.0.0.0\nlisten_port = 6432\nunix_socket_dir =\n'
		printf 'pool_mode = %s\n' "$mode"
		printf 'auth_type = scram-sha-256\nauth_file = /etc/pgbouncer/userlist.txt\n'
		printf 'admin_users = %s\n' "$user"
		# what drivers send at connect that PgBouncer would otherwise refuse
		printf 'ignore_startup_parameters = extra_float_digits,options\n'
		if [ -n "${PGBOUNCER_MAX_PREPARED_STATEMENTS:-}" ]; then
			printf 'max_prepared_statements = %s\n' "$PGBOUNCER_MAX_PREPARED_STATEMENTS"
		fi
	} > /etc/pgbouncer/pgbouncer.ini
	unset PGBOUNCER_PASSWORD
	exec pgbouncer /etc/pgbouncer/pgbouncer.ini
fi

exec "$@"
