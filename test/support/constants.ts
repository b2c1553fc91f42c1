export const TEMPLATE_DATABASE = 'leadpath_test_template';
