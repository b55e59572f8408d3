#!/usr/bin/env bash
# Entrypoint of dbcompat's PostgreSQL images, modelled on the official image's docker-entrypoint.sh
# (docker-library/postgres): the same variables (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB,
# POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD, and *_FILE for the first four), the same first
# start (initdb, a socket-only temporary server for the setup, /docker-entrypoint-initdb.d), and the
# server's log on stderr. Until the real server runs nothing listens on TCP, so a client that
# connects to 127.0.0.1 (as testcontainers' readiness check does) only succeeds once setup is done.
# no -u: sourced /docker-entrypoint-initdb.d scripts run in this shell, as in the official images
set -Eeo pipefail
shopt -s nullglob

note() { printf '%s [Entrypoint]: %s\n' "$(date --rfc-3339=seconds)" "$*"; }
die() {
	printf '%s [Entrypoint] ERROR: %s\n' "$(date --rfc-3339=seconds)" "$*" >&2
	exit 1
}

# file_env VAR [DEFAULT]: VAR, or the contents of the file named by VAR_FILE, or DEFAULT
file_env() {
	local var="$1" def="${2:-}"
	local file_var="${var}_FILE"
	if [ -n "${!var:-}" ] && [ -n "${!file_var:-}" ]; then
		die "both $var and $file_var are set (but are exclusive)"
	fi
	local value="$def"
	if [ -n "${!var:-}" ]; then
		value="${!var}"
	elif [ -n "${!file_var:-}" ]; then
		value="$(<"${!file_var}")"
	fi
	export "$var"="$value"
	unset "$file_var"
}

setup_env() {
	file_env POSTGRES_PASSWORD
	file_env POSTGRES_USER postgres
	file_env POSTGRES_DB "$POSTGRES_USER"
	file_env POSTGRES_INITDB_ARGS
	: "${POSTGRES_HOST_AUTH_METHOD:=}"
}

create_directories() {
	mkdir -p "$PGDATA"
	chmod 00700 "$PGDATA" || :
	mkdir -p /var/run/postgresql || :
	chmod 03775 /var/run/postgresql || :
	if [ "$(id -u)" = '0' ]; then
		find "$PGDATA" /var/run/postgresql \! -user postgres -exec chown postgres '{}' +
	fi
}

verify_minimum_env() {
	if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != 'trust' ]; then
		die 'the database is uninitialized and no superuser password is given: set POSTGRES_PASSWORD (or POSTGRES_HOST_AUTH_METHOD=trust)'
	fi
}

init_database_dir() {
	local password_file
	password_file="$(mktemp)"
	# --pwfile refuses an empty file, hence the newline
	printf '%s\n' "$POSTGRES_PASSWORD" >"$password_file"
	# POSTGRES_INITDB_ARGS is split as the shell would split it, as the official image does
	eval 'initdb --username="$POSTGRES_USER" --pwfile="$password_file" '"$POSTGRES_INITDB_ARGS"' "$@"'
	rm -f "$password_file"
}

# host connections use POSTGRES_HOST_AUTH_METHOD, or the method matching password_encryption
setup_hba_conf() {
	local auth
	auth="$(postgres -C password_encryption "$@")"
	: "${POSTGRES_HOST_AUTH_METHOD:=$auth}"
	printf '\nhost all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" >>"$PGDATA/pg_hba.conf"
}

# docker_process_sql [psql arguments]: run SQL in POSTGRES_DB over the socket (the official
# image's name, for sourced /docker-entrypoint-initdb.d scripts)
docker_process_sql() {
	psql_local --dbname "$POSTGRES_DB" "$@"
}

psql_local() {
	PGHOST='' PGHOSTADDR='' psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc "$@"
}

setup_db() {
	local exists
	exists="$(psql_local --dbname postgres --set db="$POSTGRES_DB" --tuples-only <<-'EOSQL'
		SELECT 1 FROM pg_database WHERE datname = :'db' ;
	EOSQL
	)"
	if [ -z "$exists" ]; then
		psql_local --dbname postgres --set db="$POSTGRES_DB" <<-'EOSQL'
			CREATE DATABASE :"db" ;
		EOSQL
	fi
}

process_init_files() {
	local f
	for f; do
		case "$f" in
			*.sh)
				if [ -x "$f" ]; then
					note "running $f"
					"$f"
				else
					note "sourcing $f"
					# shellcheck disable=SC1090
					. "$f"
				fi
				;;
			*.sql) note "running $f"; docker_process_sql -f "$f" ;;
			*.sql.gz) note "running $f"; gunzip -c "$f" | docker_process_sql ;;
			*) note "ignoring $f" ;;
		esac
	done
}

temp_server_start() {
	if [ "${1:-}" = 'postgres' ]; then
		shift
	fi
	# socket only: nothing on TCP until the real server starts
	set -- "$@" -c listen_addresses='' -p "${PGPORT:-5432}"
	PGUSER="${PGUSER:-$POSTGRES_USER}" pg_ctl -D "$PGDATA" -o "$(printf '%q ' "$@")" -w start
}

temp_server_stop() {
	PGUSER="${PGUSER:-postgres}" pg_ctl -D "$PGDATA" -m fast -w stop
}

want_help() {
	local arg
	for arg; do
		case "$arg" in
			-'?' | --help | --describe-config | -V | --version) return 0 ;;
		esac
	done
	return 1
}

main() {
	local first="${1:-}"
	if [ "${first:0:1}" = '-' ]; then
		set -- postgres "$@"
	fi
	if [ "${1:-}" = 'postgres' ] && ! want_help "$@"; then
		setup_env
		create_directories
		if [ "$(id -u)" = '0' ]; then
			exec gosu postgres "${BASH_SOURCE[0]}" "$@"
		fi
		if [ ! -s "$PGDATA/PG_VERSION" ]; then
			verify_minimum_env
			ls /docker-entrypoint-initdb.d/ >/dev/null
			init_database_dir
			setup_hba_conf "${@:2}"
			export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
			temp_server_start "$@"
			setup_db
			process_init_files /docker-entrypoint-initdb.d/*
			temp_server_stop
			unset PGPASSWORD
			note 'PostgreSQL init process complete; ready for start up.'
		else
			note 'PostgreSQL Database directory appears to contain a database; Skipping initialization'
		fi
	fi
	exec "$@"
}

main "$@"
