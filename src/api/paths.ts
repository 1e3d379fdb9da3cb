/** sendWhatsappMessage: POST https://{domain}{SEND_PATH}. */
export const SEND_PATH = '/apiaccess/rest/ccmessaging/omni/1/advanced';
/** tokenByAkSk: POST https://{domain}{TOKEN_PATH}. */
export const TOKEN_PATH = '/apigovernance/api/oauth/tokenByAkSk';
