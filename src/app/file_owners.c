/* Which feature owns which attachments, and how it decides access (see files/files.h). Wiring:
 * the file store knows no feature; a part whose objects carry files adds its line here. */
#include "boards/boards.h"
#include "files/files.h"
#include "meetings/meetings.h"

const struct files_owner files_owners[] = {
	{"meeting_occurrence", meeting_files_may_read, meeting_files_may_write},
	{"post", boards_post_files_may_read, boards_post_files_may_write},
	{NULL, NULL, NULL},
};
