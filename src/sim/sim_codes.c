/* The table of Meta error codes; see sim_codes.h. */
#include "sim/sim_codes.h"

#include <stddef.h>

static const struct sim_code_info CODES[] = {
    {100, 400, 2494010, false, "Invalid parameter", "Parameter Invalid"},
    {190, 401, 463, false, "Error validating access token: Session has expired",
     "The access token has expired."},
    {368, 400, 0, false, "Temporarily blocked for policies violations",
     "The phone number is temporarily blocked for policy violations."},
    {131000, 500, 0, true, "Something went wrong",
     "Message failed to send due to an unknown error."},
    {131026, 400, 0, false, "Message undeliverable", "Message Undeliverable."},
    {131047, 400, 0, false, "Re-engagement message",
     "Message failed to send because more than 24 hours have passed since the customer last "
     "replied to this number."},
    {131048, 400, 2494100, false, "Spam rate limit hit",
     "Message failed to send because there are restrictions on how many messages can be sent "
     "from this phone number. This may be because too many previous messages were blocked or "
     "flagged as spam."},
    {131049, 400, 0, false, "Meta chose not to deliver.",
     "This message was not delivered to maintain healthy ecosystem engagement."},
    {131050, 400, 0, false, "Unable to deliver the message",
     "This recipient has chosen to stop receiving marketing messages on WhatsApp from your "
     "business."},
    {131051, 400, 0, false, "Message type unknown", "Message type is currently not supported."},
    {131053, 400, 0, false, "Media upload error",
     "Unable to upload the media used in the message."},
    {131056, 400, 2494078, false, "(Business Account, Consumer Account) pair rate limit hit",
     "Message failed to send because there were too many messages sent from this phone number "
     "to the same phone number in a short period of time."},
    {130429, 400, 2494055, false, "Rate limit hit",
     "Message failed to send because there were too many messages sent from this phone number "
     "in a short period of time"},
    {132000, 400, 2494073, false,
     "Number of parameters does not match the expected number of params",
     "The number of parameters does not match the expected number of params."},
    {132001, 404, 2494073, false, "Template name does not exist in the translation",
     "template name does not exist in the translation"},
    {132015, 400, 0, false, "Template is Paused",
     "Cannot send message using this template since it is paused due to low quality."},
    {132016, 400, 0, false, "Template is Disabled",
     "Cannot send message using this template since it has been disabled due to low quality."},
    {133010, 400, 0, false, "Account not registered", "Phone number not registered."},
};

const struct sim_code_info *sim_codes_find(int code)
{
	static _Thread_local struct sim_code_info unknown;
	for (size_t i = 0; i < sizeof(CODES) / sizeof(CODES[0]); i++)
		if (CODES[i].code == code)
			return &CODES[i];
	unknown = (struct sim_code_info){code,
	                                 400,
	                                 0,
	                                 false,
	                                 "Unknown error",
	                                 "The simulator has no description for this code."};
	return &unknown;
}

bool sim_codes_known(int code)
{
	for (size_t i = 0; i < sizeof(CODES) / sizeof(CODES[0]); i++)
		if (CODES[i].code == code)
			return true;
	return false;
}
