/* Unit tests for the audit trail (src/audit/audit.c) on a SQLite database in a temporary
 * file: the chain verifies, and editing, deleting, inserting or truncating records is found. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "audit/audit.h"

struct fixture {
	char dir[64];
	char path[96];
	struct ctx c;
	struct principal who;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/tongxin-audit-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	struct error err = {0};
	f->c.db = db_open(f->path, &err);
	if (!f->c.db || db_migrate(f->c.db, &err) < 0)
		return -1;
	f->c.arena = arena_new();
	principal_system(&f->who);
	f->c.who = &f->who;
	f->c.now = 1767225600; /* 2026-01-01 00:00 UTC */
	f->c.remote_addr = "cli";
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->c.db);
	arena_free(f->c.arena);
	char p[128];
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	unlink(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Appends n records, one transaction each, for org ids 1..n. */
static void append_n(struct fixture *f, int n)
{
	for (int i = 1; i <= n; i++) {
		json_t *before = json_pack("{s:s}", "name", "旧名称");
		json_t *after = json_pack("{s:s, s:i}", "name", "同心社工服务中心", "grade", i);
		assert_int_equal(db_begin(f->c.db), 0);
		assert_int_equal(audit_append(&f->c, "org.update", "org", i, before, after), 0);
		assert_int_equal(db_commit(f->c.db), 0);
		json_decref(before);
		json_decref(after);
	}
}

static void sql(struct fixture *f, const char *text)
{
	assert_int_equal(db_exec_script(f->c.db, text), 0);
}

static void test_a_chain_of_appends_verifies(void **state)
{
	struct fixture *f = *state;
	append_n(f, 5);
	/* several appends in one transaction (an import) continue the same chain */
	assert_int_equal(db_begin(f->c.db), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(audit_append(&f->c, "org.create", "org", 10 + i, NULL, NULL), 0);
	assert_int_equal(db_commit(f->c.db), 0);
	struct audit_verify_result r;
	assert_int_equal(audit_verify(&f->c, &r), 0);
	assert_true(r.ok);
	assert_int_equal(r.records, 8);
	assert_int_equal(r.first_bad_id, 0);
	assert_int_equal(r.head_id, 8);
	assert_int_equal(strlen(r.head_hash), 64);
	assert_int_equal(db_int(f->c.db, 0, "SELECT COUNT(*) FROM audit_log WHERE prev_hash = $1",
	                        "s", AUDIT_GENESIS_HASH),
	                 1);
}

static void test_an_empty_trail_verifies(void **state)
{
	struct fixture *f = *state;
	struct audit_verify_result r;
	assert_int_equal(audit_verify(&f->c, &r), 0);
	assert_true(r.ok);
	assert_int_equal(r.records, 0);
	assert_string_equal(r.head_hash, AUDIT_GENESIS_HASH);
}

static void test_append_outside_a_transaction_is_refused(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(audit_append(&f->c, "org.create", "org", 1, NULL, NULL), -1);
	assert_int_equal(f->c.err.kind, E_INTERNAL);
}

static void test_a_rolled_back_append_leaves_no_trace_in_the_chain(void **state)
{
	struct fixture *f = *state;
	append_n(f, 2);
	assert_int_equal(db_begin(f->c.db), 0);
	assert_int_equal(audit_append(&f->c, "org.archive", "org", 1, NULL, NULL), 0);
	assert_int_equal(db_rollback(f->c.db), 0);
	append_n(f, 1);
	struct audit_verify_result r;
	assert_int_equal(audit_verify(&f->c, &r), 0);
	assert_true(r.ok);
	assert_int_equal(r.records, 3);
}

static void test_the_database_refuses_updates_and_deletes(void **state)
{
	struct fixture *f = *state;
	append_n(f, 2);
	assert_int_not_equal(db_exec_script(f->c.db, "UPDATE audit_log SET action = 'x'"), 0);
	assert_int_not_equal(db_exec_script(f->c.db, "DELETE FROM audit_log"), 0);
}

static void test_an_edited_record_is_found_with_its_id(void **state)
{
	struct fixture *f = *state;
	append_n(f, 6);
	sql(f, "DROP TRIGGER audit_log_no_update;"
	       "UPDATE audit_log SET after_json = '{\"grade\":99,\"name\":\"同心社工服务中心\"}' "
	       "WHERE id = 4");
	struct audit_verify_result r;
	assert_int_equal(audit_verify(&f->c, &r), 0);
	assert_false(r.ok);
	assert_int_equal(r.first_bad_id, 4);
	assert_non_null(strstr(r.problem, "edited"));
	assert_int_equal(r.records, 6);
}

static void test_an_edited_actor_is_found(void **state)
{
	struct fixture *f = *state;
	append_n(f, 3);
	sql(f, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor_name = 'nobody' WHERE "
	       "id = 2");
	struct audit_verify_result r;
	assert_int_equal(audit_verify(&f->c, &r), 0);
	assert_false(r.ok);
	assert_int_equal(r.first_bad_id, 2);
}

static void test_a_deleted_middle_record_is_found(void **state)
{
	struct fixture *f = *state;
	append_n(f, 6);
	sql(f, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 3");
	struct audit_verify_result r;
	assert_int_equal(audit_verify(&f->c, &r), 0);
	assert_false(r.ok);
	assert_int_equal(r.first_bad_id, 4);
	assert_non_null(strstr(r.problem, "record 3 is missing"));
}

static void test_a_deleted_and_renumbered_record_breaks_the_link(void **state)
{
	struct fixture *f = *state;
	append_n(f, 5);
	/* close the id gap too: the link to the previous hash still gives it away */
	sql(f, "DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_log_no_update;"
	       "DELETE FROM audit_log WHERE id = 2; UPDATE audit_log SET id = id - 1 WHERE id > 2");
	struct audit_verify_result r;
	assert_int_equal(audit_verify(&f->c, &r), 0);
	assert_false(r.ok);
	assert_int_equal(r.first_bad_id, 2);
	assert_non_null(strstr(r.problem, "prev_hash"));
}

static void test_an_inserted_record_is_found(void **state)
{
	struct fixture *f = *state;
	append_n(f, 3);
	/* a forged record appended by hand, linked correctly but with a made-up hash */
	sql(f, "INSERT INTO audit_log (id, at, actor_id, actor_name, actor_roles, action, "
	       "object_type, "
	       "object_id, prev_hash, hash) SELECT 4, at, actor_id, actor_name, actor_roles, "
	       "'org.delete', "
	       "'org', 1, hash, hash FROM audit_log WHERE id = 3");
	struct audit_verify_result r;
	assert_int_equal(audit_verify(&f->c, &r), 0);
	assert_false(r.ok);
	assert_int_equal(r.first_bad_id, 4);
}

static void test_swapped_records_are_found(void **state)
{
	struct fixture *f = *state;
	append_n(f, 4);
	sql(f,
	    "DROP TRIGGER audit_log_no_update;"
	    "UPDATE audit_log SET id = 100 WHERE id = 2; UPDATE audit_log SET id = 2 WHERE id = 3;"
	    "UPDATE audit_log SET id = 3 WHERE id = 100");
	struct audit_verify_result r;
	assert_int_equal(audit_verify(&f->c, &r), 0);
	assert_false(r.ok);
	assert_int_equal(r.first_bad_id, 2);
}

static void test_an_anchor_finds_truncation_of_the_newest_records(void **state)
{
	struct fixture *f = *state;
	append_n(f, 5);
	struct audit_verify_result r;
	assert_int_equal(audit_verify(&f->c, &r), 0);
	char problem[160];
	assert_int_equal(audit_check_anchor(&f->c, r.head_id, r.head_hash, problem), 0);
	sql(f, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id >= 4");
	/* the chain that is left is intact: only the anchor can tell */
	struct audit_verify_result r2;
	assert_int_equal(audit_verify(&f->c, &r2), 0);
	assert_true(r2.ok);
	assert_int_equal(audit_check_anchor(&f->c, r.head_id, r.head_hash, problem), -1);
	assert_non_null(strstr(problem, "missing"));
}

static void test_verify_needs_the_audit_read_right(void **state)
{
	struct fixture *f = *state;
	struct principal resident = {.user_id = 7, .roles = ROLE_BIT(ROLE_RESIDENT)};
	strcpy(resident.username, "resident");
	f->c.who = &resident;
	struct audit_verify_result r;
	assert_int_equal(audit_verify(&f->c, &r), -1);
	assert_int_equal(f->c.err.kind, E_FORBIDDEN);
	f->c.who = &f->who;
}

static void test_hash_is_sensitive_to_field_boundaries(void **state)
{
	(void)state;
	/* "ab"+"c" and "a"+"bc" must not hash alike; NULL differs from "" */
	struct audit_record a = {.id = 1, .actor_name = "ab", .actor_roles = "c", .prev_hash = "0"};
	struct audit_record b = a;
	b.actor_name = "a";
	b.actor_roles = "bc";
	struct audit_record n = a, e = a;
	n.remote_addr = NULL;
	e.remote_addr = "";
	char ha[65], hb[65], hn[65], he[65];
	audit_hash(&a, ha);
	audit_hash(&b, hb);
	audit_hash(&n, hn);
	audit_hash(&e, he);
	assert_string_not_equal(ha, hb);
	assert_string_not_equal(hn, he);
}

/* ---- audit_diff */

static void assert_json(json_t *v, const char *expected)
{
	if (!expected) {
		assert_null(v);
		return;
	}
	assert_non_null(v);
	char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(s, expected);
	free(s);
}

static void diff_case(const char *old_text, const char *new_text, const char *want_before,
                      const char *want_after)
{
	json_t *o = old_text ? json_loads(old_text, 0, NULL) : NULL;
	json_t *n = new_text ? json_loads(new_text, 0, NULL) : NULL;
	json_t *before, *after;
	audit_diff(o, n, &before, &after);
	assert_json(before, want_before);
	assert_json(after, want_after);
	json_decref(o);
	json_decref(n);
	json_decref(before);
	json_decref(after);
}

static void test_diff_keeps_only_changed_keys(void **state)
{
	(void)state;
	diff_case("{\"name\":\"甲\",\"phone\":\"1\",\"grade\":3}",
	          "{\"name\":\"乙\",\"phone\":\"1\",\"grade\":3}", "{\"name\":\"甲\"}",
	          "{\"name\":\"乙\"}");
}

static void test_diff_of_equal_objects_is_empty(void **state)
{
	(void)state;
	diff_case("{\"a\":[1,{\"b\":2}]}", "{\"a\":[1,{\"b\":2}]}", "{}", "{}");
}

static void test_diff_treats_null_and_absent_alike(void **state)
{
	(void)state;
	/* absent -> null: no change; value -> absent or null: recorded as null after */
	diff_case("{\"a\":1}", "{\"a\":1,\"b\":null}", "{}", "{}");
	diff_case("{\"a\":1,\"b\":null}", "{\"a\":1}", "{}", "{}");
	diff_case("{\"a\":1,\"b\":2}", "{\"a\":1}", "{\"b\":2}", "{\"b\":null}");
	diff_case("{\"b\":2}", "{\"b\":null}", "{\"b\":2}", "{\"b\":null}");
	diff_case("{\"a\":1}", "{\"a\":1,\"c\":\"x\"}", "{\"c\":null}", "{\"c\":\"x\"}");
}

static void test_diff_compares_arrays_by_value(void **state)
{
	(void)state;
	diff_case("{\"fields\":[\"教育\",\"养老\"]}", "{\"fields\":[\"教育\",\"养老\"]}", "{}",
	          "{}");
	diff_case("{\"fields\":[\"教育\",\"养老\"]}", "{\"fields\":[\"养老\",\"教育\"]}",
	          "{\"fields\":[\"教育\",\"养老\"]}", "{\"fields\":[\"养老\",\"教育\"]}");
	diff_case("{\"x\":{\"y\":[1,2]}}", "{\"x\":{\"y\":[1,3]}}", "{\"x\":{\"y\":[1,2]}}",
	          "{\"x\":{\"y\":[1,3]}}");
}

static void test_diff_of_create_and_delete(void **state)
{
	(void)state;
	diff_case(NULL, "{\"name\":\"甲\",\"phone\":null}", NULL, "{\"name\":\"甲\"}");
	diff_case("{\"name\":\"甲\",\"phone\":null}", NULL, "{\"name\":\"甲\"}", NULL);
	diff_case(NULL, NULL, NULL, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_a_chain_of_appends_verifies, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_an_empty_trail_verifies, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_append_outside_a_transaction_is_refused, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_a_rolled_back_append_leaves_no_trace_in_the_chain,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_the_database_refuses_updates_and_deletes, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_an_edited_record_is_found_with_its_id, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_an_edited_actor_is_found, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_deleted_middle_record_is_found, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_deleted_and_renumbered_record_breaks_the_link,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_an_inserted_record_is_found, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_swapped_records_are_found, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_an_anchor_finds_truncation_of_the_newest_records,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_verify_needs_the_audit_read_right, setup,
	                                    teardown),
	    cmocka_unit_test(test_hash_is_sensitive_to_field_boundaries),
	    cmocka_unit_test(test_diff_keeps_only_changed_keys),
	    cmocka_unit_test(test_diff_of_equal_objects_is_empty),
	    cmocka_unit_test(test_diff_treats_null_and_absent_alike),
	    cmocka_unit_test(test_diff_compares_arrays_by_value),
	    cmocka_unit_test(test_diff_of_create_and_delete),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
