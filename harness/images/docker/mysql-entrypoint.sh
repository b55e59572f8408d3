#!/usr/bin/env bash
# Entrypoint of dbcompat's MySQL and MariaDB images, modelled on the official images'
# docker-entrypoint.sh (docker-library/mysql, MariaDB/mariadb-docker).
#
# Variables, each also as *_FILE, and each under both prefixes (MARIADB_X wins over MYSQL_X, and
# both are then set, as the MariaDB image does): ROOT_PASSWORD, ALLOW_EMPTY_PASSWORD (MariaDB:
# ALLOW_EMPTY_ROOT_PASSWORD), RANDOM_ROOT_PASSWORD, ROOT_HOST (default %), DATABASE, USER,
# PASSWORD, INITDB_SKIP_TZINFO.
#
# The first start follows the official images: the data directory is initialised, a temporary
# server without networking loads the time-zone tables (mysql_tzinfo_to_sql /usr/share/zoneinfo),
# sets the root password, creates the database and the user and runs /docker-entrypoint-initdb.d,
# and is stopped; then the real server starts. Both servers log to stderr, so "ready for
# connections" appears twice there on a first start (testcontainers' MySqlContainer waits for both).
# no -u: sourced /docker-entrypoint-initdb.d scripts run in this shell, as in the official images
set -Eeo pipefail
shopt -s nullglob

log() {
	local type="$1"
	shift
	printf '%s [%s] [Entrypoint]: %s\n' "$(date --rfc-3339=seconds)" "$type" "$*"
}
note() { log Note "$@"; }
warn() { log Warn "$@" >&2; }
die() {
	log ERROR "$@" >&2
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

# both_env MYSQL_NAME MARIADB_NAME [DEFAULT]: read both; the MariaDB one wins; both end up equal
both_env() {
	local mysql_var="$1" maria_var="$2" def="${3:-}"
	file_env "$mysql_var" "$def"
	file_env "$maria_var" "${!mysql_var}"
	export "$mysql_var"="${!maria_var}"
}

# values from the server's own view of its configuration (defaults and config files)
get_config() {
	local conf="$1"
	shift
	"$@" --verbose --help --log-bin-index="$(mktemp -u)" 2>/dev/null \
		| awk -v conf="$conf" '$1 == conf && /^[^ \t]/ { sub(/^[^ \t]+[ \t]+/, ""); print; exit }'
}

check_config() {
	local errors
	if ! errors="$("$@" --verbose --help --log-bin-index="$(mktemp -u)" 2>&1 >/dev/null)"; then
		die "$1 failed while checking its configuration: $errors"
	fi
}

setup_env() {
	declare -g DATADIR SOCKET FILES_DIR FLAVOUR CLIENT
	DATADIR="$(get_config datadir "$@")"
	SOCKET="$(get_config socket "$@")"
	FILES_DIR="$(get_config secure-file-priv "$@")"
	if [ "$1" = mariadbd ]; then
		FLAVOUR=MariaDB
		CLIENT=mariadb
	else
		FLAVOUR=MySQL
		CLIENT=mysql
	fi
	both_env MYSQL_ROOT_HOST MARIADB_ROOT_HOST '%'
	both_env MYSQL_DATABASE MARIADB_DATABASE
	both_env MYSQL_USER MARIADB_USER
	both_env MYSQL_PASSWORD MARIADB_PASSWORD
	both_env MYSQL_ROOT_PASSWORD MARIADB_ROOT_PASSWORD
	both_env MYSQL_ALLOW_EMPTY_PASSWORD MARIADB_ALLOW_EMPTY_ROOT_PASSWORD
	both_env MYSQL_RANDOM_ROOT_PASSWORD MARIADB_RANDOM_ROOT_PASSWORD
	both_env MYSQL_INITDB_SKIP_TZINFO MARIADB_INITDB_SKIP_TZINFO
}

# version_at_least MAJOR MINOR: whether the server is at least that release
version_at_least() {
	local version major minor
	version="$("$SERVER" --version | sed -E 's/.*Ver ([0-9]+)\.([0-9]+).*/\1 \2/')"
	read -r major minor <<<"$version"
	[ "$major" -gt "$1" ] || { [ "$major" -eq "$1" ] && [ "$minor" -ge "$2" ]; }
}

create_directories() {
	local dirs=("$DATADIR" "$(dirname "$SOCKET")")
	if [ -n "$FILES_DIR" ] && [ "$FILES_DIR" != NULL ]; then
		dirs+=("$FILES_DIR")
	fi
	mkdir -p "${dirs[@]}"
	if [ "$(id -u)" = 0 ]; then
		find "${dirs[@]}" \! -user mysql -exec chown --no-dereference mysql: '{}' +
	fi
}

verify_minimum_env() {
	if [ -z "$MYSQL_ROOT_PASSWORD" ] && [ -z "$MYSQL_ALLOW_EMPTY_PASSWORD" ] && [ -z "$MYSQL_RANDOM_ROOT_PASSWORD" ]; then
		die 'the database is uninitialized and no root password option is given: set MYSQL_ROOT_PASSWORD (or MARIADB_ROOT_PASSWORD), MYSQL_ALLOW_EMPTY_PASSWORD or MYSQL_RANDOM_ROOT_PASSWORD'
	fi
	if [ "$MYSQL_USER" = root ]; then
		die 'MYSQL_USER="root": MYSQL_USER and MYSQL_PASSWORD create a regular user; set the root password with MYSQL_ROOT_PASSWORD'
	fi
	if [ -n "$MYSQL_USER" ] && [ -z "$MYSQL_PASSWORD" ]; then
		warn 'MYSQL_USER specified, but missing MYSQL_PASSWORD; MYSQL_USER will not be created'
	elif [ -z "$MYSQL_USER" ] && [ -n "$MYSQL_PASSWORD" ]; then
		warn 'MYSQL_PASSWORD specified, but missing MYSQL_USER; MYSQL_PASSWORD will be ignored'
	fi
}

init_database_dir() {
	note 'Initializing database files'
	if [ "$FLAVOUR" = MariaDB ]; then
		mariadb-install-db --datadir="$DATADIR" --rpm --auth-root-authentication-method=normal "${@:2}" \
			--cross-bootstrap --skip-test-db --old-mode='UTF8_IS_UTF8MB3' \
			--default-time-zone=SYSTEM --enforce-storage-engine= --skip-log-bin --expire-logs-days=0 \
			--loose-innodb_buffer_pool_load_at_startup=0 --loose-innodb_buffer_pool_dump_at_shutdown=0
	else
		"$@" --initialize-insecure --default-time-zone=SYSTEM
	fi
	note 'Database files initialized'
}

# client PASSWORD [ARGS]: the command-line client as root over the socket; the password goes in an
# option file (a pipe), never on a command line or in the environment
client() {
	local password="$1"
	shift
	"$CLIENT" --defaults-extra-file=<(option_file "$password") --protocol=socket -uroot -hlocalhost \
		--socket="$SOCKET" "${CLIENT_TLS[@]}" "$@"
}

option_file() {
	if [ -n "$1" ]; then
		printf '[client]\npassword="%s"\n' "$1"
	fi
}

# the official images' name, for sourced /docker-entrypoint-initdb.d scripts
# shellcheck disable=SC2120
docker_process_sql() {
	local args=()
	if [ -n "$MYSQL_DATABASE" ]; then
		args+=(--database="$MYSQL_DATABASE")
	fi
	client "$MYSQL_ROOT_PASSWORD" "${args[@]}" "$@"
}

temp_server_start() {
	local tls=()
	if [ "$FLAVOUR" = MariaDB ] && version_at_least 11 4; then
		# 11.4+ makes TLS certificates on start and its client insists on verifying them
		tls=(--skip-ssl --ssl-cert='' --ssl-key='' --ssl-ca='')
		CLIENT_TLS=(--skip-ssl --skip-ssl-verify-server-cert)
	fi
	if [ "$FLAVOUR" = MySQL ]; then
		# returns once the server accepts connections
		"$@" --daemonize --skip-networking --default-time-zone=SYSTEM --socket="$SOCKET" || die 'Unable to start server.'
		return
	fi
	"$@" --skip-networking --default-time-zone=SYSTEM --socket="$SOCKET" --wsrep_on=OFF --expire-logs-days=0 \
		--skip-slave-start --loose-innodb_buffer_pool_load_at_startup=0 "${tls[@]}" &
	declare -g SERVER_PID=$!
	local i
	for i in {60..0}; do
		if client '' --database=mysql <<<'SELECT 1' &>/dev/null; then
			break
		fi
		sleep 1
	done
	[ "$i" != 0 ] || die 'Unable to start server.'
}

temp_server_stop() {
	if [ "$FLAVOUR" = MySQL ]; then
		mysqladmin --defaults-extra-file=<(option_file "$MYSQL_ROOT_PASSWORD") shutdown -uroot --socket="$SOCKET" \
			|| die 'Unable to shut down server.'
	else
		kill "$SERVER_PID"
		wait "$SERVER_PID"
	fi
}

# escape_sql TEXT: TEXT as the inside of a single-quoted SQL string
escape_sql() {
	local text="${1//\\/\\\\}"
	printf '%s' "${text//\'/\\\'}"
}

setup_db() {
	if [ -z "$MYSQL_INITDB_SKIP_TZINFO" ]; then
		note 'Loading time zone tables from /usr/share/zoneinfo'
		if [ "$FLAVOUR" = MariaDB ]; then
			mariadb-tzinfo-to-sql --skip-write-binlog /usr/share/zoneinfo | client '' --database=mysql
		else
			# the sed is for https://bugs.mysql.com/bug.php?id=20545, as in the official image
			mysql_tzinfo_to_sql /usr/share/zoneinfo \
				| sed 's/Local time zone must be set--see zic manual page/FCTY/' \
				| client '' --database=mysql
		fi
	fi
	if [ -n "$MYSQL_RANDOM_ROOT_PASSWORD" ]; then
		MYSQL_ROOT_PASSWORD="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
		export MYSQL_ROOT_PASSWORD MARIADB_ROOT_PASSWORD="$MYSQL_ROOT_PASSWORD"
		note "GENERATED ROOT PASSWORD: $MYSQL_ROOT_PASSWORD"
	fi
	local root_password user_password sql
	root_password="$(escape_sql "$MYSQL_ROOT_PASSWORD")"
	user_password="$(escape_sql "$MYSQL_PASSWORD")"
	sql="SET autocommit = 1; SET @@SESSION.SQL_LOG_BIN = 0;"
	if [ "$FLAVOUR" = MariaDB ]; then
		sql+=" SET @@SESSION.SQL_MODE = REPLACE(@@SESSION.SQL_MODE, 'NO_BACKSLASH_ESCAPES', '');"
		sql+=" DROP USER IF EXISTS root@'127.0.0.1', root@'::1';"
		sql+=" EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS root@\'', @@hostname, '\'');"
		sql+=" SET PASSWORD FOR 'root'@'localhost' = PASSWORD('$root_password');"
	else
		sql+=" ALTER USER 'root'@'localhost' IDENTIFIED BY '$root_password';"
		sql+=" GRANT ALL ON *.* TO 'root'@'localhost' WITH GRANT OPTION; FLUSH PRIVILEGES;"
	fi
	if [ -n "$MYSQL_ROOT_HOST" ] && [ "$MYSQL_ROOT_HOST" != localhost ]; then
		sql+=" CREATE USER 'root'@'$MYSQL_ROOT_HOST' IDENTIFIED BY '$root_password';"
		sql+=" GRANT ALL ON *.* TO 'root'@'$MYSQL_ROOT_HOST' WITH GRANT OPTION;"
		if [ "$FLAVOUR" = MariaDB ]; then
			sql+=" GRANT PROXY ON ''@'%' TO 'root'@'$MYSQL_ROOT_HOST' WITH GRANT OPTION;"
		fi
	fi
	if [ "$FLAVOUR" = MySQL ]; then
		sql+=" DROP DATABASE IF EXISTS test;"
	fi
	sql+=" SET @@SESSION.SQL_LOG_BIN = 1;"
	if [ -n "$MYSQL_DATABASE" ]; then
		note "Creating database ${MYSQL_DATABASE}"
		sql+=" CREATE DATABASE IF NOT EXISTS \`$MYSQL_DATABASE\`;"
	fi
	if [ -n "$MYSQL_USER" ] && [ -n "$MYSQL_PASSWORD" ]; then
		note "Creating user ${MYSQL_USER}"
		sql+=" CREATE USER '$MYSQL_USER'@'%' IDENTIFIED BY '$user_password';"
		if [ -n "$MYSQL_DATABASE" ]; then
			note "Giving user ${MYSQL_USER} access to schema ${MYSQL_DATABASE}"
			sql+=" GRANT ALL ON \`${MYSQL_DATABASE//_/\\_}\`.* TO '$MYSQL_USER'@'%';"
		fi
	fi
	client '' --database=mysql --binary-mode <<<"$sql"
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
			*.sql) note "running $f"; docker_process_sql <"$f" ;;
			*.sql.gz) note "running $f"; gunzip -c "$f" | docker_process_sql ;;
			*) warn "ignoring $f" ;;
		esac
	done
}

want_help() {
	local arg
	for arg; do
		case "$arg" in
			-'?' | --help | --print-defaults | -V | --version) return 0 ;;
		esac
	done
	return 1
}

main() {
	local first="${1:-}"
	if [ "${first:0:1}" = '-' ]; then
		if command -v mariadbd >/dev/null; then
			set -- mariadbd "$@"
		else
			set -- mysqld "$@"
		fi
	fi
	if { [ "${1:-}" = mysqld ] || [ "${1:-}" = mariadbd ]; } && ! want_help "$@"; then
		declare -g SERVER="$1"
		declare -ga CLIENT_TLS=()
		check_config "$@"
		setup_env "$@"
		note "Entrypoint script for $FLAVOUR Server $("$1" --version | sed -E 's/.*Ver ([^ ]+).*/\1/') started."
		create_directories
		if [ "$(id -u)" = 0 ]; then
			note "Switching to dedicated user 'mysql'"
			exec gosu mysql "${BASH_SOURCE[0]}" "$@"
		fi
		if [ ! -d "$DATADIR/mysql" ]; then
			verify_minimum_env
			ls /docker-entrypoint-initdb.d/ >/dev/null
			init_database_dir "$@"
			note 'Starting temporary server'
			temp_server_start "$@"
			note 'Temporary server started.'
			setup_db
			process_init_files /docker-entrypoint-initdb.d/*
			note 'Stopping temporary server'
			temp_server_stop
			note 'Temporary server stopped'
			note "$FLAVOUR init process done. Ready for start up."
		fi
		unset MYSQL_ROOT_PASSWORD MARIADB_ROOT_PASSWORD MYSQL_PASSWORD MARIADB_PASSWORD
	fi
	exec "$@"
}

main "$@"
