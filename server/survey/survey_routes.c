/* The respondent side's routes: the form behind a public link (/s/{slug}) or a personal
 * single-use link (/t/{token}) and its submission. Tokens and slugs never reach the access log. */
#include "app/routes.h"
#include "survey_handlers.h"

const struct route survey_routes[] = {
    ROUTE_OPEN_SECRET(HTTP_GET, "/s/", handle_public_get, "form_public", "/s/:slug"),
    ROUTE_OPEN_SECRET(HTTP_POST, "/s/", handle_public_post, "submit_public", "/s/:slug"),
    ROUTE_OPEN_SECRET(HTTP_GET, "/t/", handle_personal_get, "form_personal", "/t/:token"),
    ROUTE_OPEN_SECRET(HTTP_POST, "/t/", handle_personal_post, "submit_personal", "/t/:token"),
};
const size_t survey_routes_count = sizeof survey_routes / sizeof survey_routes[0];
