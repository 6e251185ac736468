/* The respondent side's routes: the form behind a public link (/s/{slug}) or a personal
 * single-use link (/t/{token}) and its submission. Tokens and slugs never reach the access log. */
#include "app/routes.h"
#include "survey_handlers.h"

const struct route survey_routes[] = {
    {.method = HTTP_GET,
     .path = "/s/",
     .segment = true,
     .handler = handle_public_get,
     .name = "form_public",
     .log_as = "/s/:slug"},
    {.method = HTTP_POST,
     .path = "/s/",
     .segment = true,
     .handler = handle_public_post,
     .name = "submit_public",
     .log_as = "/s/:slug"},
    {.method = HTTP_GET,
     .path = "/t/",
     .segment = true,
     .handler = handle_personal_get,
     .name = "form_personal",
     .log_as = "/t/:token"},
    {.method = HTTP_POST,
     .path = "/t/",
     .segment = true,
     .handler = handle_personal_post,
     .name = "submit_personal",
     .log_as = "/t/:token"},
};
const size_t survey_routes_count = sizeof survey_routes / sizeof survey_routes[0];
