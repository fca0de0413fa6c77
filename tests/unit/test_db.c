/*
 * The data layer's statement cache, on a SQLite file: statements are cached by their text, so
 * SQL assembled in a buffer that is later reused for another text gets that other text's
 * statement, and a statement in use is not handed out twice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "db/db.h"

struct fixture {
	char dir[64];
	char path[96];
	struct db *db;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/tongxin-db-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	struct error err = {0};
	f->db = db_open(f->path, &err);
	assert_non_null(f->db);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	unlink(f->path);
	char wal[128];
	snprintf(wal, sizeof wal, "%s-wal", f->path);
	unlink(wal);
	snprintf(wal, sizeof wal, "%s-shm", f->path);
	unlink(wal);
	rmdir(f->dir);
	free(f);
	return 0;
}

static int64_t one_value(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	assert_int_equal(db_step(st), DB_ROW);
	int64_t v = db_col_int(st, 0);
	db_done(st);
	return v;
}

static void test_a_reused_buffer_gets_the_statement_of_its_new_text(void **state)
{
	struct fixture *f = *state;
	char sql[64];
	for (int i = 1; i <= 3; i++) {
		snprintf(sql, sizeof sql, "SELECT %d + 0", i * 10);
		assert_int_equal(one_value(f->db, sql), i * 10);
	}
	/* and the first text again, from the same buffer: its cached statement */
	snprintf(sql, sizeof sql, "SELECT %d + 0", 10);
	assert_int_equal(one_value(f->db, sql), 10);
}

static void test_the_same_text_from_two_places_shares_one_statement(void **state)
{
	struct fixture *f = *state;
	char a[32], b[32];
	strcpy(a, "SELECT 7");
	strcpy(b, "SELECT 7");
	struct db_stmt *first = db_prepare(f->db, a);
	db_done(first);
	struct db_stmt *second = db_prepare(f->db, b);
	assert_ptr_equal(first, second);
	db_done(second);
}

static void test_nested_use_of_one_text_gets_a_private_statement(void **state)
{
	struct fixture *f = *state;
	struct db_stmt *outer = db_prepare(f->db, "SELECT 1 UNION ALL SELECT 2");
	assert_int_equal(db_step(outer), DB_ROW);
	struct db_stmt *inner = db_prepare(f->db, "SELECT 1 UNION ALL SELECT 2");
	assert_ptr_not_equal(outer, inner);
	assert_int_equal(db_step(inner), DB_ROW);
	assert_int_equal(db_col_int(inner, 0), 1);
	db_done(inner);
	assert_int_equal(db_step(outer), DB_ROW);
	assert_int_equal(db_col_int(outer, 0), 2);
	db_done(outer);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_a_reused_buffer_gets_the_statement_of_its_new_text,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_the_same_text_from_two_places_shares_one_statement,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nested_use_of_one_text_gets_a_private_statement,
					    setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
